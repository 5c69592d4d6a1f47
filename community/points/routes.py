"""The employee's "My points" page: lifetime score, spendable balance and the ledger history
(newest first) with what caused each entry. Only ever the signed-in person's own points."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from flask_login import current_user

from community.core.htmx import render
from community.core.params import page_arg
from community.extensions import db
from community.points import queries
from community.points.causes import causes_for

bp = Blueprint("points", __name__, url_prefix="/points")


@bp.get("/")
def mine() -> Response:
    page = db.paginate(
        queries.history_query(current_user.id),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render(
        "points/mine.html",
        page=page,
        causes=causes_for(list(page.items)),
        score=queries.score(current_user.id),
        balance=queries.balance(current_user.id),
    )
