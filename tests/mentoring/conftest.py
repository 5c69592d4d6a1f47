"""The people of the mentoring tests: HR, a mentor (a confirmed hire and an open offer), a
newcomer, another employee, and the newcomer's manager."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from community.accounts.models import Role, User
from tests.factories import make_department, make_user
from tests.mentoring.factories import make_mentor


@dataclass
class Cast:
    hr: User
    mentor: User
    newcomer: User
    other: User  # an employee who is neither of the pair
    manager: User  # the newcomer's manager: sees nothing of the pairing

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def cast() -> Cast:
    sales = make_department("Sales")
    hr = make_user(Role.HR, sales, name="Hana HR")
    manager = make_user(Role.MANAGER, sales, name="Max Manager")
    mentor = make_mentor(make_user(Role.EMPLOYEE, sales, name="Mei Mentor"), hr)
    return Cast(
        hr=hr,
        mentor=mentor,
        newcomer=make_user(Role.EMPLOYEE, sales, name="Nina Newcomer", manager_id=manager.id),
        other=make_user(Role.EMPLOYEE, sales, name="Otto Other"),
        manager=manager,
    )
