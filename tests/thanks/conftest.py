from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, g, request_started


@pytest.fixture(autouse=True)
def _fresh_login_per_request(app: Flask) -> Iterator[None]:
    """Test requests share the test's app context (and so `g`); make each request load its own
    user from its own session cookie, as it does in production."""

    def forget_user(sender: Any, **extra: Any) -> None:
        g.pop("_login_user", None)

    request_started.connect(forget_user, app)
    yield
    request_started.disconnect(forget_user, app)


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Service calls outside a request still translate their messages (core.i18n reads the
    session to pick a language, which needs a request context)."""
    with app.test_request_context():
        yield


@pytest.fixture
def hr():
    from community.accounts.models import Role
    from tests.factories import make_user

    return make_user(role=Role.HR, name="Hannah HR")


@pytest.fixture(autouse=True)
def _no_gold_tiers_from_test_hires(_request_context: None) -> None:
    """The wall tests count posts; a test hire would also earn a gold-referrer tier (and its own
    post, tested in tests/badges). Raise the thresholds out of reach here."""
    from community.badges.models import BadgeSettings
    from community.extensions import db

    db.session.add(
        BadgeSettings(gold_bronze_hires=998, gold_silver_hires=999, gold_gold_hires=1000)
    )
    db.session.commit()
