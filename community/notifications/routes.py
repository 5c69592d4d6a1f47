from __future__ import annotations

from flask import Blueprint, Response, abort

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
def index() -> Response:
    abort(404)
