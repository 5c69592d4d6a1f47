from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from community.accounts.models import Role, User
from community.leaderboards import connection
from community.referrals.models import Referral, Stage
from community.referrals.services import advance_stage
from tests.factories import make_user
from tests.referrals.factories import make_referral


@pytest.fixture(autouse=True)
def _redis_breaker() -> Iterator[None]:
    """Each test starts with Redis considered up."""
    connection.reset_breaker()
    yield
    connection.reset_breaker()


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Service calls outside a request still translate their messages."""
    with app.test_request_context():
        yield


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR)


def advance(referral: Referral, stage: Stage, actor: User) -> Referral:
    """HR moves a referral one step, as the review page does."""
    return advance_stage(referral, stage, actor, expected_from=referral.stage)


def referral_at(stage: Stage, hr: User, **kwargs: object) -> Referral:
    """A referral moved along the pipeline up to `stage` (submitted → interviewing → …)."""
    referral = make_referral(**kwargs)  # type: ignore[arg-type]
    path = [Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED]
    for step in path:
        if referral.stage == stage:
            break
        referral = advance(referral, step, hr)
    return referral
