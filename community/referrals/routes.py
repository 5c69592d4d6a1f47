from __future__ import annotations

from flask import Blueprint, Response, abort

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


@bp.get("/mine")
def mine() -> Response:
    abort(404)


@bp.get("/queue")
def queue() -> Response:
    abort(404)
