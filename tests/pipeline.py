"""Walking a referral through the pipeline in tests, the way HR's review page does: one step at a
time, each expecting the stage the page showed."""

from __future__ import annotations

from datetime import date, datetime

from community.accounts.models import User
from community.core.time import to_local, utcnow
from community.pipeline import Stage
from community.referrals.models import Referral
from community.referrals.services import advance_stage

# The road to a probation passed, skipping the optional screening as most referrals do.
ROAD = (Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED)


def advance(
    referral: Referral,
    stage: Stage,
    actor: User,
    at: datetime | None = None,
    start_date: date | None = None,
) -> Referral:
    """HR (or the referrer, to withdraw) moves a referral one step. A hire starts on
    `start_date`, by default the day of the move."""
    if stage == Stage.HIRED and start_date is None:
        start_date = to_local(at or utcnow()).date()
    return advance_stage(
        referral, stage, actor, expected_from=referral.stage, at=at, start_date=start_date
    )


def walk(referral: Referral, actor: User, *stages: Stage, at: datetime | None = None) -> Referral:
    """Move a referral through `stages`, in order."""
    for stage in stages:
        referral = advance(referral, stage, actor, at=at)
    return referral


def walk_to(referral: Referral, stage: Stage, actor: User, at: datetime | None = None) -> Referral:
    """Move a referral along ROAD until it reaches `stage` (nothing when it is there already)."""
    for step in ROAD:
        if referral.stage == stage:
            break
        if ROAD.index(step) > (ROAD.index(referral.stage) if referral.stage in ROAD else -1):
            referral = advance(referral, step, actor, at=at)
    return referral
