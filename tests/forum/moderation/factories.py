"""Forum rows for moderation's tests, written straight to the tables (the forum's own services
are another room's; these tests are about what moderation does to posts, whoever wrote them)."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic, TopicKind

_seq = itertools.count(1)


def make_category(name: str = "经验分享", **fields: Any) -> ForumCategory:
    n = next(_seq)
    category = ForumCategory(slug=f"category-{n}", name=name, **fields)
    db.session.add(category)
    db.session.commit()
    return category


def make_topic(
    author: User,
    title: str = "How do I get a referral past screening?",
    body: str = "My referrals stop at **screening**. What do you write?",
    *,
    kind: TopicKind = TopicKind.DISCUSSION,
    category: ForumCategory | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> ForumTopic:
    """A topic with its opening post (number 1)."""
    at = at or utcnow()
    topic = ForumTopic(
        category_id=(category or make_category()).id,
        author_id=author.id,
        title=title,
        kind=kind,
        created_at=at,
        last_post_at=at,
        **fields,
    )
    db.session.add(topic)
    db.session.flush()
    db.session.add(
        ForumPost(topic_id=topic.id, author_id=author.id, number=1, body=body, created_at=at)
    )
    db.session.commit()
    return topic


def make_reply(
    topic: ForumTopic, author: User, body: str = "Say why the candidate fits.", **fields: Any
) -> ForumPost:
    number = len(topic_posts(topic)) + 1
    post = ForumPost(topic_id=topic.id, author_id=author.id, number=number, body=body, **fields)
    db.session.add(post)
    topic.reply_count += 1
    db.session.commit()
    return post


def topic_posts(topic: ForumTopic) -> list[ForumPost]:
    return list(
        db.session.scalars(
            db.select(ForumPost).where(ForumPost.topic_id == topic.id).order_by(ForumPost.number)
        )
    )


def opening_post(topic: ForumTopic) -> ForumPost:
    return topic_posts(topic)[0]
