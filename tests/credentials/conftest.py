from __future__ import annotations

import pytest

from community.accounts.models import Role, User
from community.badges import services as badge_services
from community.badges.models import UserBadge
from tests.factories import make_user


@pytest.fixture
def earner() -> User:
    return make_user(name="Erin Earner", email="erin.earner@example.com")


@pytest.fixture
def award(hr: User, earner: User) -> UserBadge:
    """A badge HR granted the earner by hand (worth no points)."""
    return badge_services.grant_badge(hr, earner, "first_hire", "Helped hire our first SRE")


@pytest.fixture
def stranger() -> User:
    return make_user(role=Role.EMPLOYEE, name="Sam Stranger")
