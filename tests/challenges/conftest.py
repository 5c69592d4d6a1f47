"""The people of the challenge page tests: HR, two departments, a manager hosting for Sales, a
manager of Engineering, an employee in Sales (in scope) and one in Engineering (out of it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from community.accounts.models import Department, Role, User
from community.challenges import lifecycle, services
from community.challenges.models import Challenge, PeopleScope
from community.core.time import utcnow
from community.extensions import db
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_user


@dataclass
class Cast:
    hr: User
    sales: Department
    engineering: Department
    host: User  # a Sales manager who hosts
    other_manager: User  # an Engineering manager
    member: User  # a Sales employee: in the Sales challenge's scope
    outsider: User  # an Engineering employee: not in it

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def cast() -> Cast:
    sales, engineering = make_department("Sales"), make_department("Engineering")
    return Cast(
        hr=make_user(Role.HR, engineering, name="Hana HR"),
        sales=sales,
        engineering=engineering,
        host=make_user(Role.MANAGER, sales, name="Hugo Host"),
        other_manager=make_user(Role.MANAGER, engineering, name="Olga Other"),
        member=make_user(Role.EMPLOYEE, sales, name="Mia Member"),
        outsider=make_user(Role.EMPLOYEE, engineering, name="Otto Outsider"),
    )


def live(challenge: Challenge) -> Challenge:
    """Let the clock move a scheduled challenge that has started."""
    lifecycle.keep_time(utcnow())
    db.session.refresh(challenge)
    return challenge


def sales_challenge(cast: Cast, **overrides: object) -> Challenge:
    """The host's Sales challenge, approved by HR and live."""
    challenge = make_challenge(
        cast.host,
        people_scope=PeopleScope.DEPARTMENTS,
        department_ids=[cast.sales.id],
        **overrides,
    )
    services.approve_challenge(cast.hr, challenge.id)
    return live(challenge)
