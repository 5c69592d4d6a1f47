"""Who may mentor and who counts as a newcomer: read by the services (which refuse), the
directory and the pages (which offer only what would be allowed).

A mentor is experienced: someone with a confirmed hire among their referrals, or the holder of a
gold-referrer tier at least `MENTOR_MIN_TIER` (HR's thresholds, or HR's own grant of the tier).
A newcomer is someone none of whose referrals has passed screening yet, or who joined less than
`MENTORING_NEWCOMER_DAYS` ago, and who has no confirmed hire. HR runs the programme and mentors nobody (HR earns no referral
rewards); HR may pair anyone who is not HR with a mentor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from community.accounts.models import User
from community.badges.models import UserBadge
from community.badges.registry import GOLD_REFERRER, GOLD_TIERS
from community.core.roles import Role
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage
from community.referrals.models import Referral, ReferralEvent

# A referral has passed screening once HR moved it out of "submitted" into the pipeline.
_NOT_PASSED = (Stage.REJECTED, Stage.WITHDRAWN)


def _tiers_at_least(tier: str) -> tuple[str, ...]:
    if tier not in GOLD_TIERS:
        return ()
    return GOLD_TIERS[GOLD_TIERS.index(tier) :]


def _takes_part(user: User | None) -> bool:
    return bool(user is not None and user.is_active_account and user.role != Role.HR)


def has_confirmed_hire(user_id: int) -> bool:
    return (
        db.session.scalar(
            select(Referral.id)
            .where(
                Referral.referrer_id == user_id,
                Referral.stage.in_((Stage.HIRED, Stage.PROBATION_PASSED)),
            )
            .limit(1)
        )
        is not None
    )


def holds_mentor_tier(user_id: int) -> bool:
    tiers = _tiers_at_least(str(current_app.config.get("MENTOR_MIN_TIER") or ""))
    if not tiers:
        return False
    return (
        db.session.scalar(
            select(UserBadge.id)
            .where(
                UserBadge.user_id == user_id,
                UserBadge.badge_key == GOLD_REFERRER,
                UserBadge.tier.in_(tiers),
                UserBadge.revoked_at.is_(None),  # a medal HR revoked qualifies no more
            )
            .limit(1)
        )
        is not None
    )


def may_mentor(user: User | None) -> bool:
    """Experienced enough to offer: a confirmed hire, or the configured tier."""
    if not _takes_part(user):
        return False
    assert user is not None
    return has_confirmed_hire(user.id) or holds_mentor_tier(user.id)


def passed_screening_count(user_id: int, since: datetime | None = None) -> int:
    """How many of `user_id`'s referrals (submitted since `since`) HR accepted into the pipeline."""
    query = (
        select(Referral.id)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(
            Referral.referrer_id == user_id,
            ReferralEvent.from_stage == Stage.SUBMITTED,
            ReferralEvent.to_stage.is_not(None),
            ReferralEvent.to_stage.not_in(_NOT_PASSED),
        )
        .distinct()
    )
    if since is not None:
        query = query.where(Referral.submitted_at >= since)
    return len(db.session.scalars(query).all())


def is_newcomer(user: User | None, now: datetime | None = None) -> bool:
    """No referral passed screening yet, or joined within `MENTORING_NEWCOMER_DAYS` — unless they
    already have a confirmed hire (they are experienced, however new)."""
    if not _takes_part(user):
        return False
    assert user is not None
    if has_confirmed_hire(user.id):
        return False
    days = int(current_app.config.get("MENTORING_NEWCOMER_DAYS", 90))
    if user.created_at >= (now or utcnow()) - timedelta(days=days):
        return True
    return passed_screening_count(user.id) == 0


def may_be_paired(user: User | None) -> bool:
    """HR may pair anyone who takes part (newcomer or not: HR's judgement)."""
    return _takes_part(user)
