from __future__ import annotations

import pytest

from community.accounts.models import User
from tests.factories import make_user


@pytest.fixture
def employee() -> User:
    return make_user(name="Evan Employee")
