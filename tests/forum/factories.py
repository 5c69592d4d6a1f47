"""Forum things for tests, made through the forum's services (HR makes the categories)."""

from __future__ import annotations

from itertools import count
from typing import Any

from community.accounts.models import Role, User
from community.forum import categories, posts, topics
from community.forum.categories import CategoryInput
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from tests.factories import make_user

_seq = count(1)


def make_category(kind: str = "discussion", hr: User | None = None, **fields: Any) -> ForumCategory:
    n = next(_seq)
    data = {"slug": f"cat-{n}", "name": f"分类{n}", "name_en": f"Category {n}", "kind": kind}
    data.update(fields)
    return categories.create(hr or make_user(role=Role.HR), CategoryInput(**data))


def make_topic(
    author: User | None = None,
    category: ForumCategory | None = None,
    *,
    title: str = "如何写好推荐理由",
    body: str = "分享几个面试的技巧。",
    **fields: Any,
) -> ForumTopic:
    return topics.start(
        author or make_user(),
        category_id=(category or make_category()).id,
        title=title,
        body=body,
        **fields,
    )


def make_question(author: User | None = None, **fields: Any) -> ForumTopic:
    return make_topic(author, make_category("questions"), title="新人如何第一次内推？", **fields)


def reply(topic: ForumTopic, author: User | None = None, body: str = "谢谢分享！") -> ForumPost:
    return posts.reply(author or make_user(), topic.id, body)
