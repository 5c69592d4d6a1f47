"""The people moderation talks about, and a thread to moderate."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from community.accounts.models import Role, User
from community.forum.models import ForumPost, ForumTopic
from tests.club.factories import make_member
from tests.factories import make_department, make_user
from tests.forum.moderation.factories import make_reply, make_topic


@dataclass
class Club:
    hr: User
    moderator: User
    member: User  # a member of the club, not a moderator
    employee: User  # not in the club
    others: list[User]  # more colleagues who may flag
    author: User  # wrote the reply
    topic: ForumTopic
    reply: ForumPost

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def club() -> Club:
    department = make_department("Engineering")
    hr = make_user(Role.HR, department, name="Hana HR")
    moderator = make_member(
        make_user(department=department, name="Mo Moderator"), moderator=True, hr=hr
    )
    member = make_member(make_user(department=department, name="Mia Member"), hr=hr)
    asker = make_user(department=department, name="Ada Asker")
    author = make_user(department=department, name="Aaron Author")
    topic = make_topic(asker)
    reply = make_reply(topic, author, "Buy cheap watches at spam.example!")
    return Club(
        hr=hr,
        moderator=moderator,
        member=member,
        employee=make_user(department=department, name="Emil Employee"),
        others=[make_user(department=department, name=f"Colleague {n}") for n in range(4)],
        author=author,
        topic=topic,
        reply=reply,
    )
