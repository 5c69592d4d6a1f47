from __future__ import annotations

from flask import Blueprint, Response, abort

bp = Blueprint("program", __name__, url_prefix="/program")


@bp.get("/rules")
def rules() -> Response:
    abort(404)


@bp.get("/rules/edit")
def edit_rules() -> Response:
    abort(404)
