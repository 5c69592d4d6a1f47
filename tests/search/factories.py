"""The forum as the search index sees it: rows written the way the forum writes them, and
`ForumPostsChanged` published in the same transaction (the contract search relies on)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from community import events
from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from tests.factories import make_user

_seq = itertools.count(1)
T0 = datetime(2026, 11, 1, 9, 0)


def make_category(name: str = "面试经验", name_en: str | None = "Interviews") -> ForumCategory:
    n = next(_seq)
    category = ForumCategory(slug=f"category-{n}", name=name, name_en=name_en, position=n)
    db.session.add(category)
    db.session.commit()
    return category


def _changed(topic: ForumTopic, posts: list[ForumPost], change: str) -> None:
    events.publish(events.ForumPostsChanged(topic.id, tuple(p.id for p in posts), change, utcnow()))


def make_topic(
    title: str,
    body: str,
    *,
    category: ForumCategory | None = None,
    author: User | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> ForumTopic:
    """A topic with its opening post, indexed as the forum's own write would."""
    at = at or T0 + timedelta(minutes=next(_seq))
    topic = ForumTopic(
        category=category or make_category(),
        author=author or make_user(password=None),
        title=title,
        created_at=at,
        last_post_at=at,
        **fields,
    )
    db.session.add(topic)
    db.session.flush()
    post = ForumPost(
        topic_id=topic.id, author_id=topic.author_id, number=1, body=body, created_at=at
    )
    db.session.add(post)
    db.session.flush()
    _changed(topic, [post], "created")
    db.session.commit()
    return topic


def opening(topic: ForumTopic) -> ForumPost:
    return db.session.query(ForumPost).filter_by(topic_id=topic.id, number=1).one()


def reply(
    topic: ForumTopic, body: str, *, author: User | None = None, at: datetime | None = None
) -> ForumPost:
    number = db.session.query(ForumPost).filter_by(topic_id=topic.id).count() + 1
    at = at or T0 + timedelta(minutes=next(_seq))
    post = ForumPost(
        topic_id=topic.id,
        author_id=(author or make_user(password=None)).id,
        number=number,
        body=body,
        created_at=at,
    )
    db.session.add(post)
    db.session.flush()
    _changed(topic, [post], "created")
    db.session.commit()
    return post


def change_post(post: ForumPost, change: str, **fields: Any) -> None:
    """Edit, delete, hide or restore a post (fields set as the forum would), then publish."""
    for name, value in fields.items():
        setattr(post, name, value)
    topic = db.session.get(ForumTopic, post.topic_id)
    _changed(topic, [post], change)
    db.session.commit()


def change_topic(topic: ForumTopic, **fields: Any) -> None:
    """Retitle, delete, hide or restore a topic: every post of it is published."""
    for name, value in fields.items():
        setattr(topic, name, value)
    posts = db.session.query(ForumPost).filter_by(topic_id=topic.id).all()
    _changed(topic, posts, "topic")
    db.session.commit()
