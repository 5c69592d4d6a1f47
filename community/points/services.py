"""Every write to the points ledger goes through `record_points` (and only through it).

`record_points` adds a row inside the caller's transaction and flushes; the caller commits. After
the commit the entry is projected onto the Redis leaderboards (see `points.boards`).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import User
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job
from community.points.models import PendingProjection, PointEntry, PointKind
from community.program.queries import current_rules
from community.referrals.models import Referral, Stage

logger = logging.getLogger(__name__)

# Session.info key: ids of entries written in the current transaction, projected after commit.
SESSION_PENDING = "points_pending_projection"
# A manual adjustment is bounded so that no single keystroke can wreck the boards.
MAX_ADJUSTMENT = 100_000
MAX_REASON_CHARS = 500


class PointsError(Exception):
    """A refusal the person can understand; `message` is already in their language."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PointsNotAllowed(PointsError):
    status = 403


def record_points(
    user: User | int,
    amount: int,
    kind: PointKind,
    *,
    idempotency_key: str,
    referral: Referral | None = None,
    stage: Stage | None = None,
    badge_key: str | None = None,
    actor: User | None = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> PointEntry:
    """Append one ledger row in the caller's transaction (flushed, not committed).

    Exactly once per `idempotency_key`: when an entry with that key exists, it is returned and
    nothing is written. A concurrent duplicate fails the flush with the unique constraint, so the
    caller's transaction rolls back and the first one stands.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise ValueError(f"points must be a non-zero integer, not {amount!r}")
    existing = db.session.scalars(
        select(PointEntry).where(PointEntry.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        return existing
    owner = user if isinstance(user, User) else db.session.get(User, user)
    if owner is None:
        raise ValueError(f"no user {user!r}")
    entry = PointEntry(
        user_id=owner.id,
        amount=amount,
        kind=PointKind(kind),
        referral_id=referral.id if referral else None,
        stage=stage,
        badge_key=badge_key,
        actor_id=actor.id if actor else None,
        reason=reason,
        department_id=owner.department_id,
        idempotency_key=idempotency_key,
        created_at=at or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    db.session.add(PendingProjection(entry_id=entry.id))
    db.session.flush()
    db.session.info.setdefault(SESSION_PENDING, []).append(entry.id)
    return entry


def stage_points(referral: Referral, stage: Stage) -> int:
    """Points for `referral` reaching `stage`, from the rules it was submitted under.

    A hard-to-fill job multiplies them by the rules' percentage, rounded down.
    """
    rules = referral.rules or current_rules()
    points = int((rules.stage_points or {}).get(Stage(stage).value, 0) or 0)
    job: Job = referral.job
    if job.hard_to_fill:
        points = points * (rules.hard_to_fill_multiplier_percent or 100) // 100
    return points


def award_stage_points(
    referral: Referral, stage: Stage, at: datetime | None = None
) -> PointEntry | None:
    """Award the referrer `stage`'s points, once per (referral, stage); None when it is worth 0.

    Runs inside the stage change's transaction (`referrals.services.advance_stage`).
    """
    points = stage_points(referral, stage)
    if points <= 0:
        return None
    return record_points(
        referral.referrer_id,
        points,
        PointKind.EARNED,
        idempotency_key=f"referral:{referral.id}:stage:{Stage(stage).value}",
        referral=referral,
        stage=Stage(stage),
        at=at,
    )


def adjust_points(
    actor: User,
    user: User,
    amount: int,
    reason: str | None,
    *,
    idempotency_key: str | None = None,
) -> PointEntry:
    """HR adds or removes points by hand. The reason is required and stays on the entry, with
    the actor, for the employee and for audit. Commits."""
    if not is_hr(actor):
        raise PointsNotAllowed(_("Only HR can adjust points."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise PointsError(_("Please give a reason for the adjustment."), field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise PointsError(
            _("The reason is too long (at most %(max)s characters).", max=MAX_REASON_CHARS),
            field="reason",
        )
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount == 0
        or abs(amount) > MAX_ADJUSTMENT
    ):
        raise PointsError(
            _(
                "The adjustment must be a whole number of points, not zero, between "
                "-%(max)s and %(max)s.",
                max=MAX_ADJUSTMENT,
            ),
            field="amount",
        )
    entry = record_points(
        user,
        amount,
        PointKind.ADJUSTMENT,
        idempotency_key=idempotency_key or f"adjustment:{uuid.uuid4().hex}",
        actor=actor,
        reason=reason,
    )
    db.session.commit()
    logger.info(
        "points adjusted by %s for user %s by user %s (entry %s): %s",
        amount,
        user.id,
        actor.id,
        entry.id,
        reason,
    )
    return entry
