from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from community.accounts.models import Role, User
from community.leaderboards import connection
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Service calls outside a request still translate their messages."""
    with app.test_request_context():
        yield


@pytest.fixture(autouse=True)
def _redis_breaker() -> Iterator[None]:
    connection.reset_breaker()
    yield
    connection.reset_breaker()


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR, name="Hana HR")


@pytest.fixture
def employee() -> User:
    return make_user(name="Evan Employee")
