"""The forum's search page, `/club/search?q=…&category=…&page=…`. A GET form (nothing
changes), so a search is a link one can share; thin: parse → `queries.search` → render."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_login import current_user
from sqlalchemy import select

from community.core.htmx import render
from community.core.params import int_arg, page_arg
from community.extensions import db
from community.forum.models import ForumCategory
from community.search import queries
from community.search.permissions import can_search
from community.search.query import MAX_QUERY

bp = Blueprint("search", __name__, url_prefix="/club/search")


@bp.get("")
def results() -> Response:
    if not can_search(current_user):
        abort(403)
    typed = (request.args.get("q") or "")[:MAX_QUERY]
    categories = list(
        db.session.scalars(select(ForumCategory).order_by(ForumCategory.position, ForumCategory.id))
    )
    category_id = int_arg("category")
    if category_id is not None and category_id not in {c.id for c in categories}:
        category_id = None  # an unknown category filters nothing rather than failing
    found = (
        queries.search(typed, category_id=category_id, page=page_arg()) if typed.strip() else None
    )
    return render(
        "search/results.html",
        block="results",
        q=typed,
        found=found,
        categories=categories,
        category_id=category_id,
    )


def post_url(hit: queries.Hit) -> str:
    """Where a hit opens: the post in its topic, on the forum's page (`forum.topic`)."""
    if "forum.topic" not in current_app.view_functions:  # the forum's pages are not registered
        return url_for("search.results", _anchor=f"post-{hit.post_id}")
    return url_for(
        "forum.topic", topic_id=hit.topic_id, post=hit.number, _anchor=f"post-{hit.number}"
    )
