"""What every forum write shares: its refusal type, the limits on text, the clock, loading a
topic or a post for a write (404 for what the writer may not see), and the event every write
that changes searchable text or visibility publishes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.errors import BAD_INPUT, NOT_FOUND, DomainError
from community.core.time import utcnow
from community.extensions import db
from community.forum import permissions
from community.forum.models import ForumPost, ForumTopic

MAX_TITLE_CHARS = 200
MIN_TITLE_CHARS = 4
MAX_REASON_CHARS = 300


class ForumError(DomainError):
    """A forum write refused, with a message in the writer's language."""


def max_post_chars() -> int:
    return int(current_app.config["FORUM_MAX_POST_CHARS"])


def now() -> datetime:
    return utcnow()


def check_body(body: str | None) -> str:
    """The post's Markdown, stripped; refused when empty or longer than the limit."""
    text = (body or "").replace("\x00", "").strip()
    if not text:
        raise ForumError(_("Write something first."), "body", status=BAD_INPUT)
    limit = max_post_chars()
    if len(text) > limit:
        raise ForumError(
            _("A post has at most %(n)s characters (this one has %(m)s).", n=limit, m=len(text)),
            "body",
            status=BAD_INPUT,
        )
    return text


def check_title(title: str | None) -> str:
    text = " ".join((title or "").replace("\x00", "").split())
    if len(text) < MIN_TITLE_CHARS:
        raise ForumError(
            _("A title has at least %(n)s characters.", n=MIN_TITLE_CHARS),
            "title",
            status=BAD_INPUT,
        )
    if len(text) > MAX_TITLE_CHARS:
        raise ForumError(
            _("A title has at most %(n)s characters.", n=MAX_TITLE_CHARS), "title", status=BAD_INPUT
        )
    return text


def check_reason(reason: str | None, *, required: bool = False) -> str | None:
    text = " ".join((reason or "").split()) or None
    if required and not text:
        raise ForumError(_("Say why."), "reason", status=BAD_INPUT)
    if text and len(text) > MAX_REASON_CHARS:
        raise ForumError(_("A reason has at most %(n)s characters.", n=MAX_REASON_CHARS), "reason")
    return text


def topic_for(user: User, topic_id: int, *, lock: bool = False) -> ForumTopic:
    """The topic, if `user` may read it (a deleted or hidden topic: its author and moderators
    only); otherwise the same 404 as a topic that does not exist."""
    query = select(ForumTopic).where(ForumTopic.id == topic_id)
    if lock:
        query = query.with_for_update()
    topic = db.session.scalars(query).first()
    if topic is None or not permissions.can_read_topic(user, topic):
        raise ForumError(_("No such topic."), status=NOT_FOUND)
    return topic


def post_for(user: User, post_id: int, *, lock: bool = False) -> ForumPost:
    """The post, if `user` may read its topic; else 404."""
    query = select(ForumPost).where(ForumPost.id == post_id)
    if lock:
        query = query.with_for_update()
    post = db.session.scalars(query).first()
    if post is None:
        raise ForumError(_("No such post."), status=NOT_FOUND)
    topic_for(user, post.topic_id)
    return post


def publish_changed(topic_id: int, post_ids: Iterable[int], change: str, at: datetime) -> None:
    """Tell search (and any listener) which posts' text or visibility changed."""
    events.publish(
        events.ForumPostsChanged(
            topic_id=topic_id, post_ids=tuple(sorted(set(post_ids))), change=change, at=at
        )
    )


def all_post_ids(topic_id: int) -> list[int]:
    return list(db.session.scalars(select(ForumPost.id).where(ForumPost.topic_id == topic_id)))
