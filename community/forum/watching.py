"""Watching and reading: who hears of new posts, and how far each person has read a topic.

A person watches a topic (every reply) or a category (every new topic and reply in it), or mutes
either (nothing, not even as the author). Authors watch their own topics from the start. Reading
a page of a topic moves their mark to the last post number on it (never back)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.core.errors import BAD_INPUT, NOT_FOUND
from community.core.transaction import committed
from community.extensions import db
from community.forum import common
from community.forum.common import ForumError
from community.forum.models import ForumCategory, ForumTopic, ForumTopicRead, ForumWatch, WatchLevel

LEVELS = {"watching": WatchLevel.WATCHING, "muted": WatchLevel.MUTED, "none": None}


def _row(user_id: int, *, topic_id: int | None = None, category_id: int | None = None):
    query = select(ForumWatch).where(ForumWatch.user_id == user_id)
    if topic_id is not None:
        query = query.where(ForumWatch.topic_id == topic_id)
    else:
        query = query.where(ForumWatch.category_id == category_id)
    return db.session.scalars(query).first()


def _set(user_id: int, level: WatchLevel | None, *, topic_id: int | None = None,
         category_id: int | None = None) -> None:  # fmt: skip
    row = _row(user_id, topic_id=topic_id, category_id=category_id)
    if level is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        db.session.add(ForumWatch(user_id=user_id, topic_id=topic_id, category_id=category_id,
                                  level=level))  # fmt: skip
    else:
        row.level = level
    db.session.flush()


def watch_own(user_id: int, topic_id: int) -> None:
    """The author of a new topic watches it (inside the caller's transaction)."""
    if _row(user_id, topic_id=topic_id) is None:
        _set(user_id, WatchLevel.WATCHING, topic_id=topic_id)


def _level(level: str | None) -> WatchLevel | None:
    if level not in LEVELS:
        raise ForumError(_("Choose watching, muted or normal."), status=BAD_INPUT)
    return LEVELS[level]


def set_topic(user: User, topic_id: int, level: str | None) -> ForumTopic:
    """Watch, mute, or go back to normal ("none") on a topic."""
    with committed():
        topic = common.topic_for(user, topic_id)
        _set(user.id, _level(level), topic_id=topic.id)
    return topic


def set_category(user: User, category_id: int, level: str | None) -> ForumCategory:
    with committed():
        category = db.session.get(ForumCategory, category_id)
        if category is None:
            raise ForumError(_("No such category."), status=NOT_FOUND)
        _set(user.id, _level(level), category_id=category.id)
    return category


def level_of(user_id: int, *, topic_id: int | None = None,
             category_id: int | None = None) -> str:  # fmt: skip
    row = _row(user_id, topic_id=topic_id, category_id=category_id)
    return row.level.value if row is not None else "none"


def listeners(topic: ForumTopic, *, new_topic: bool) -> set[int]:
    """Who hears of a new post in `topic`: its watchers and its category's, minus whoever muted
    the topic (or the category, unless they watch the topic itself)."""
    topic_rows = db.session.execute(
        select(ForumWatch.user_id, ForumWatch.level).where(ForumWatch.topic_id == topic.id)
    ).all()
    category_rows = db.session.execute(
        select(ForumWatch.user_id, ForumWatch.level).where(
            ForumWatch.category_id == topic.category_id
        )
    ).all()
    on_topic = {user_id: level for user_id, level in topic_rows}
    found = {u for u, level in category_rows if level == WatchLevel.WATCHING}
    found -= {u for u, level in category_rows if level == WatchLevel.MUTED}
    if not new_topic:
        found |= {u for u, level in on_topic.items() if level == WatchLevel.WATCHING}
    found -= {u for u, level in on_topic.items() if level == WatchLevel.MUTED}
    if not found:
        return found
    active = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(found), User.is_active_account.is_(True))
        )
    )
    return active


def mark_read(user_id: int, topic_id: int, number: int) -> None:
    """Move the person's read mark on the topic forward to `number` (caller's transaction)."""
    row = db.session.get(ForumTopicRead, (user_id, topic_id))
    if row is None:
        try:  # two first views at once (two tabs): the second finds the first's row
            with db.session.begin_nested():
                db.session.add(ForumTopicRead(user_id=user_id, topic_id=topic_id,
                                              last_read_number=number))  # fmt: skip
            return
        except IntegrityError:
            row = db.session.get(ForumTopicRead, (user_id, topic_id), populate_existing=True)
            if row is None:
                raise
    if number > row.last_read_number:
        row.last_read_number = number


def read(user: User, topic_id: int, number: int) -> None:
    """The reader saw the topic up to post `number` (a page view): committed on its own."""
    with committed():
        mark_read(user.id, topic_id, number)
