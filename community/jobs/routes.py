from __future__ import annotations

from flask import Blueprint, Response, abort

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/")
def index() -> Response:
    abort(404)


@bp.get("/manage")
def manage() -> Response:
    abort(404)
