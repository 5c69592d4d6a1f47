"""The HR-only challenge routes for the role matrix (tests/security/test_role_matrix.py): where
each request goes, what it sends, what HR gets and what HR's request did. Rows, not `Case`s, so
that this module need not import the test module that reads it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from community.challenges import entries, lifecycle
from community.challenges.models import Challenge, ChallengeEntrant, ChallengeStatus, PeopleScope
from community.core.time import utcnow
from community.extensions import db
from tests.challenges.factories import make_challenge
from tests.security.conftest import Company


def _awaiting(company: Company) -> int:
    """Manager Mei's challenge for her team, waiting for HR."""
    challenge = make_challenge(company.manager, people_scope=PeopleScope.TEAM)
    company.__dict__["challenge"] = challenge
    return challenge.id


def _live_with_referrer(company: Company, disqualified: bool = False) -> int:
    """HR's live company-wide challenge the referrer has joined."""
    challenge = make_challenge(company.hr, people_scope=PeopleScope.COMPANY)
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    entries.join_challenge(company.referrer, challenge.id)
    if disqualified:
        entries.set_disqualified(company.hr, challenge.id, company.referrer.id, True, "Self")
    company.__dict__["challenge"] = challenge
    return challenge.id


def _status(company: Company) -> ChallengeStatus:
    db.session.expire_all()
    return db.session.get(Challenge, company.__dict__["challenge"].id).status


def _out(company: Company) -> bool:
    db.session.expire_all()
    entrant = db.session.scalars(
        select(ChallengeEntrant).where(ChallengeEntrant.user_id == company.referrer.id)
    ).one()
    return entrant.disqualified_at is not None


# (endpoint, method, path, HR's status, data, done)
CHALLENGE_ROWS: list[tuple[Any, ...]] = [
    ("challenges.approvals", "GET", lambda c: "/challenges/approvals", 200),
    (
        "challenges.approve",
        "POST",
        lambda c: f"/challenges/{_awaiting(c)}/approve",
        302,
        lambda c: {},
        lambda c: _status(c) == ChallengeStatus.SCHEDULED,
    ),
    (
        "challenges.disqualify",
        "POST",
        lambda c: f"/challenges/{_live_with_referrer(c)}/entrants/{c.referrer.id}/disqualify",
        302,
        lambda c: {"reason": "Referred a relative"},
        _out,
    ),
    (
        "challenges.reinstate",
        "POST",
        lambda c: (
            f"/challenges/{_live_with_referrer(c, disqualified=True)}/entrants/{c.referrer.id}"
            "/reinstate"
        ),
        302,
        lambda c: {},
        lambda c: not _out(c),
    ),
]
