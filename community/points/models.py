"""The points ledger: one append-only row per point movement."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage


class PointKind(enum.StrEnum):
    EARNED = "earned"
    ADJUSTMENT = "adjustment"
    SPENT = "spent"
    REFUNDED = "refunded"


# Kinds that count towards a person's score (and so towards the leaderboards).
SCORE_KINDS: tuple[PointKind, ...] = (PointKind.EARNED, PointKind.ADJUSTMENT)

# A reversal's reason: this, then the reject reason code ("reversed: duplicate").
REVERSED = "reversed: "


class PointEntry(db.Model):
    """One point movement. Rows are never updated or deleted; a correction is a new row.

    The cause is one of: a referral reaching a stage (`referral_id` + `stage`), a badge
    (`badge_key`), a perk redemption (the redemption names the entry), or a manual adjustment by
    `actor_id` with a `reason`. A reversal (the points of a referral found void: a duplicate, a
    self-referral) is an earned entry of the negated amount with the same referral and stage,
    naming the entry it undoes in `reverses_id`.
    """

    __tablename__ = "point_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int]
    kind: Mapped[PointKind] = mapped_column(enum_column(PointKind))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    badge_key: Mapped[str | None] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    # The person's department when the points moved: department boards keep it.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
