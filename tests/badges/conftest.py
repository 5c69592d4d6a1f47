from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask

from community.accounts.models import Role, User
from community.badges.models import DEFAULT_LEVELS, Level
from community.extensions import db
from community.leaderboards import connection
from community.referrals.models import Referral, Stage
from community.referrals.services import advance_stage
from tests.factories import make_user
from tests.referrals.factories import make_referral


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Service calls outside a request still translate their messages."""
    connection.reset_breaker()
    with app.test_request_context():
        yield


@pytest.fixture(autouse=True)
def levels() -> list[Level]:
    """The levels the migration seeds (tests build the schema with create_all)."""
    rows = [Level(threshold=t, name_en=en, name_zh=zh) for t, en, zh in DEFAULT_LEVELS]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR, name="Hana HR")


def advance(referral: Referral, stage: Stage, actor: User, at: datetime | None = None) -> Referral:
    return advance_stage(referral, stage, actor, expected_from=referral.stage, at=at)


def hire(referral: Referral, hr: User, at: datetime | None = None) -> Referral:
    """Walk a referral to hired (interview, offer, hired), each step at `at` when given."""
    path = [Stage.SUBMITTED, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED]
    for stage in path[path.index(referral.stage) + 1 :]:
        referral = advance(referral, stage, hr, at=at)
    return referral


def referral_by(user: User, **kwargs: object) -> Referral:
    return make_referral(referrer=user, **kwargs)  # type: ignore[arg-type]
