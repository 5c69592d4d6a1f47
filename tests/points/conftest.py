from __future__ import annotations

import pytest

from community.accounts.models import Role, User
from tests.factories import make_user


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR)
