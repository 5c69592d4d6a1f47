from __future__ import annotations

from datetime import timedelta

import pytest

from community.forum.models import ForumCategory, ForumTopic
from tests.search.factories import T0, make_category, make_topic, reply


@pytest.fixture
def corpus() -> dict[str, ForumTopic | ForumCategory]:
    """A small bilingual forum, each post a minute after the last (so recency is known)."""
    tips = make_category("技巧分享", "Tips")
    questions = make_category("问题", "Questions")

    def at(minutes: int):
        return T0 + timedelta(minutes=minutes)

    interview = make_topic(
        "分享几个面试的技巧",
        "准备好自我介绍，**量化**你的成果。",
        category=tips,
        at=at(1),
    )
    reply(interview, "补充：Python 面试常考装饰器和生成器。", at=at(2))
    reply(interview, "Thanks! Very useful for my next interview.", at=at(3))
    python = make_topic(
        "Python 后端岗位内推",
        "我们组招 Python 工程师，欢迎内推。Interview has two rounds.",
        category=questions,
        at=at(4),
    )
    reply(python, "请问面试有几轮？", at=at(5))
    make_topic("如何写推荐理由", "写清楚关系、匹配度和软素质评价。", category=tips, at=at(6))
    make_topic(
        "Java or Go?",
        "Which language do interviewers prefer? 面试官更看重基础。",
        category=questions,
        at=at(7),
    )
    return {"tips": tips, "questions": questions, "interview": interview, "python": python}
