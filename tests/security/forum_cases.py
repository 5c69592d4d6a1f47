"""The forum's routes for the security tests: HR's category routes for the role matrix (rows of
(endpoint, method, path, HR's status, data, done)), the pages every role reaches, and the ids the
id-guessing test uses (someone else's deleted topic: a 404 like a missing one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.extensions import db
from community.forum import categories, topics
from community.forum.categories import CategoryInput
from community.forum.models import ForumCategory, ForumPost
from tests.security.conftest import Company


def forum_category(company: Company) -> int:
    """A category HR made (once per test)."""
    if "forum_category" not in company.__dict__:
        made = categories.create(
            company.hr, CategoryInput(slug="matrix", name="矩阵", name_en="Matrix")
        )
        company.__dict__["forum_category"] = made.id
    return company.__dict__["forum_category"]


def _topic(company: Company) -> int:
    if "forum_topic" not in company.__dict__:
        made = topics.start(
            company.referrer, category_id=forum_category(company), title="推荐经验", body="分享"
        )
        company.__dict__["forum_topic"] = made.id
    return company.__dict__["forum_topic"]


def deleted_topic(company: Company) -> tuple[int, int]:
    """The referrer's deleted topic and its opening post: not the visitor's to see."""
    if "forum_deleted" not in company.__dict__:
        made = topics.start(
            company.referrer, category_id=forum_category(company), title="已删除的话题", body="删"
        )
        topics.delete(company.referrer, made.id)
        post_id = db.session.scalars(
            select(ForumPost.id).where(ForumPost.topic_id == made.id)
        ).one()
        company.__dict__["forum_deleted"] = (made.id, post_id)
    return company.__dict__["forum_deleted"]


def _named(slug: str) -> ForumCategory | None:
    return db.session.scalars(select(ForumCategory).where(ForumCategory.slug == slug)).first()


FORUM_GETS = {
    "forum.index": lambda c: "/forum/",
    "forum.category": lambda c: f"/forum/c/{_named_slug(c)}",
    "forum.topic": lambda c: f"/forum/t/{_topic(c)}",
    "forum.unread": lambda c: f"/forum/t/{_topic(c)}/unread",
    "forum.post_link": lambda c: f"/forum/p/{_first_post(c)}",
    "forum.new_topic": lambda c: "/forum/new",
}


def _named_slug(company: Company) -> str:
    forum_category(company)
    return "matrix"


def _first_post(company: Company) -> int:
    topic_id = _topic(company)
    return db.session.scalars(select(ForumPost.id).where(ForumPost.topic_id == topic_id)).one()


FORUM_ROWS: list[tuple[Any, ...]] = [
    ("forum.manage", "GET", lambda c: "/forum/categories", 200, lambda c: {}, lambda c: True),
    ("forum.new_category", "GET", lambda c: "/forum/categories/new", 200, lambda c: {},
     lambda c: True),
    (
        "forum.new_category",
        "POST",
        lambda c: "/forum/categories/new",
        303,
        lambda c: {"slug": "tips", "name": "内推技巧", "name_en": "Tips", "kind": "discussion"},
        lambda c: _named("tips") is not None,
    ),
    ("forum.edit_category", "GET", lambda c: f"/forum/categories/{forum_category(c)}/edit", 200,
     lambda c: {}, lambda c: True),
    (
        "forum.edit_category",
        "POST",
        lambda c: f"/forum/categories/{forum_category(c)}/edit",
        303,
        lambda c: {"slug": "matrix", "name": "新名字", "kind": "questions"},
        lambda c: _named("matrix").name == "新名字",
    ),
    (
        "forum.move_category",
        "POST",
        lambda c: f"/forum/categories/{forum_category(c)}/move",
        303,
        lambda c: {"up": "1"},
        lambda c: True,
    ),
    (
        "forum.archive_category",
        "POST",
        lambda c: f"/forum/categories/{forum_category(c)}/archive",
        303,
        lambda c: {"on": "1"},
        lambda c: _named("matrix").archived_at is not None,
    ),
]  # fmt: skip
