"""Every write to the points ledger goes through `record_points` (and only through it).

`record_points` adds a row inside the caller's transaction, flushes, and publishes
`events.PointsRecorded`; the caller commits. The leaderboards listen and project the entry onto
Redis once the commit stands. Stage and badge points are awarded by this room's listeners
(`points.listeners`); perks spend and refund through `record_points`; HR adjusts by hand; a
referral rejected as void (a duplicate, a self-referral) has its stage points reversed
(`reverse_referral_points`).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, DomainError
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage
from community.pipeline.reasons import VOIDING_CODES
from community.points import queries
from community.points.models import REVERSED, PointEntry, PointKind

logger = logging.getLogger(__name__)

# A manual adjustment is bounded so that no single keystroke can wreck the boards.
MAX_ADJUSTMENT = 100_000
MAX_REASON_CHARS = 500


class PointsError(DomainError):
    """A points change refused (an adjustment without a reason, out of bounds, not HR)."""


def record_points(
    user: User | int,
    amount: int,
    kind: PointKind,
    *,
    idempotency_key: str,
    referral_id: int | None = None,
    stage: Stage | None = None,
    badge_key: str | None = None,
    actor: User | None = None,
    reason: str | None = None,
    at: datetime | None = None,
    reverses: PointEntry | None = None,
) -> PointEntry:
    """Append one ledger row in the caller's transaction (flushed, not committed).

    Exactly once per `idempotency_key`: when an entry with that key exists, it is returned and
    nothing is written. A concurrent duplicate fails the flush with the unique constraint, so the
    caller's transaction rolls back and the first one stands.

    `reverses`: the entry this one undoes. The reversal keeps that entry's department, so the
    department board that counted the points is the one that loses them.
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
        referral_id=referral_id,
        stage=stage,
        badge_key=badge_key,
        actor_id=actor.id if actor else None,
        reason=reason,
        department_id=reverses.department_id if reverses else owner.department_id,
        idempotency_key=idempotency_key,
        reverses_id=reverses.id if reverses else None,
        created_at=at or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    events.publish(
        events.PointsRecorded(
            entry_id=entry.id,
            user_id=entry.user_id,
            amount=entry.amount,
            kind=entry.kind.value,
            department_id=entry.department_id,
            at=entry.created_at,
        )
    )
    return entry


def reverse_referral_points(referral_id: int, reason_code: str, at: datetime) -> list[PointEntry]:
    """Take back every stage's points a referral earned, because it was rejected for one of
    `reasons.VOIDING_CODES` (a duplicate, a self-referral): for each earned entry of the
    referral, an earned entry of the negated amount, with the same referral and stage,
    `reverses_id` naming the original, reason "reversed: <code>", dated `at`.

    In the caller's transaction (not committed). Idempotent: each original is reversed once (its
    key plus ":reversed"), so a second call writes nothing and returns the same reversals.
    Badge points a referral helped earn are not reversed (the badge stands). The spendable
    balance may go below zero when the void points were already spent: it is shown as it is,
    and the perk shop refuses until it is covered again.
    """
    if reason_code not in VOIDING_CODES:
        raise ValueError(f"{reason_code!r} does not void a referral's points")
    earned = db.session.scalars(
        select(PointEntry)
        .where(
            PointEntry.referral_id == referral_id,
            PointEntry.kind == PointKind.EARNED,
            PointEntry.amount > 0,
            PointEntry.reverses_id.is_(None),
            PointEntry.idempotency_key.startswith(f"referral:{referral_id}:stage:"),
        )
        .order_by(PointEntry.id)
    ).all()
    return [
        record_points(
            entry.user_id,
            -entry.amount,
            PointKind.EARNED,
            idempotency_key=f"{entry.idempotency_key}:reversed",
            referral_id=referral_id,
            stage=entry.stage,
            reason=f"{REVERSED}{reason_code}",
            at=at,
            reverses=entry,
        )
        for entry in earned
    ]


@dataclass(frozen=True)
class Adjusted:
    """What `adjust_points` did: the entry, and whether this call wrote it (False when the same
    form was sent again and the first one had already been recorded)."""

    entry_id: int
    recorded: bool


def adjust_points(
    actor: User,
    user: User,
    amount: int,
    reason: str | None,
    *,
    idempotency_key: str | None = None,
) -> Adjusted:
    """HR adds or removes points by hand. The reason is required and stays on the entry, with
    the actor, for the employee and for audit. A removal may not take the person's spendable
    balance below zero (their row is locked, as a redemption locks it, so two at once cannot
    either). `idempotency_key` (the form's) makes a second submit record nothing. Commits, and
    reads nothing after the commit."""
    if not is_hr(actor):
        raise PointsError(_("Only HR can adjust points."), status=FORBIDDEN)
    reason = " ".join((reason or "").split())
    if not reason:
        raise PointsError(_("Please give a reason for the adjustment."), field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise PointsError(
            ngettext(
                "The reason is too long (at most %(num)s character).",
                "The reason is too long (at most %(num)s characters).",
                MAX_REASON_CHARS,
            ),
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
    key = f"adjustment:{idempotency_key or uuid.uuid4().hex}"
    actor_id, user_id = actor.id, user.id
    try:
        locked = db.session.scalars(select(User).where(User.id == user_id).with_for_update()).one()
        done = db.session.scalar(select(PointEntry.id).where(PointEntry.idempotency_key == key))
        if done is not None:
            db.session.rollback()
            return Adjusted(done, recorded=False)
        if amount < 0:
            balance = queries.balance(user_id)  # read under the row lock
            if balance + amount < 0:
                raise PointsError(
                    ngettext(
                        "%(name)s has %(num)s point to spend; an adjustment cannot take it "
                        "below zero.",
                        "%(name)s has %(num)s points to spend; an adjustment cannot take "
                        "them below zero.",
                        balance,
                        name=locked.shown_name,
                    ),
                    field="amount",
                    status=CONFLICT,
                )
        entry = record_points(
            locked, amount, PointKind.ADJUSTMENT, idempotency_key=key, actor=actor, reason=reason
        )
        entry_id = entry.id
        db.session.commit()
    except IntegrityError:  # the same form, sent twice at once: the first one stands
        db.session.rollback()
        done = db.session.scalar(select(PointEntry.id).where(PointEntry.idempotency_key == key))
        if done is None:
            raise
        return Adjusted(done, recorded=False)
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "points adjusted by %s for user %s by user %s (entry %s): %s",
        amount,
        user_id,
        actor_id,
        entry_id,
        reason,
    )
    return Adjusted(entry_id, recorded=True)
