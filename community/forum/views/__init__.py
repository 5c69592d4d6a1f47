"""The forum's pages: `reading` (index, category, topic, history), `writing` (new topic, reply,
edit, delete, votes, answers, watching), `moderating` (pin, lock, move, delete a topic) and
`categories` (HR). Thin: parse → service → render or redirect; a refusal is a `ForumError`,
answered beside its field on a form page and by the app's domain-error handler elsewhere."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("forum", __name__, url_prefix="/forum")


def init_app() -> None:
    from community.forum.views import categories, moderating, reading, writing  # noqa: F401
