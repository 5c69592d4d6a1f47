"""The people of the session tests: HR, a host (HR's colleague who hosts), employees, and
sessions made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from community.accounts.models import Role, User
from community.club import services as club
from community.core.time import utcnow
from community.sharing import services
from community.sharing.models import SharingSession
from community.sharing.rules import SessionFields
from tests.factories import make_user


@dataclass
class Cast:
    hr: User
    host: User  # a club member who hosts the sessions
    member: User  # another club member, who hosts none of them
    ann: User
    bob: User
    cat: User  # a manager: no more rights here than an employee
    dan: User

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def cast() -> Cast:
    made = Cast(
        hr=make_user(Role.HR, name="Hana HR"),
        host=make_user(Role.EMPLOYEE, name="Hugo Host"),
        member=make_user(Role.EMPLOYEE, name="Mia Member"),
        ann=make_user(Role.EMPLOYEE, name="Ann Employee"),
        bob=make_user(Role.EMPLOYEE, name="Bob Employee"),
        cat=make_user(Role.MANAGER, name="Cat Manager"),
        dan=make_user(Role.EMPLOYEE, name="Dan Employee"),
    )
    for person in (made.host, made.member):
        club.appoint(made.hr, person.id)
    return made


def fields(
    starts_at: datetime | None = None, hours: float = 1, capacity: int = 2, **overrides: Any
) -> SessionFields:
    start = starts_at or utcnow().replace(microsecond=0) + timedelta(days=3)
    values: dict[str, Any] = {
        "title": "面试技巧分享",
        "title_en": "Interview tips",
        "description": "如何**帮助**候选人准备面试",
        "description_en": "How to **help** a candidate prepare",
        "speakers": "Hugo Host, Lily Li",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "location": "Room 5A",
        "online_url": "https://meet.example.com/abc",
        "capacity": capacity,
    }
    values.update(overrides)
    return SessionFields(**values)


def make_session(host: User, **overrides: Any) -> SharingSession:
    return services.create_session(host, fields(**overrides))
