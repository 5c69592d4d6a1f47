"""Bonus payouts: one row per paying stage a referral reached, with its exact share of the bonus."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.money import Money
from community.core.time import utcnow
from community.extensions import db
from community.referrals.models import Referral, Stage


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still on its way to the referrer (neither paid nor cancelled)."""
        return self in (PayoutStatus.PENDING, PayoutStatus.APPROVED)


class CancelCause(enum.StrEnum):
    HR = "hr"  # HR cancelled it, with a reason in their words
    LEFT_COMPANY = "left_company"  # the hire left before probation passed


class Payout(db.Model):
    """A stage's share of the bonus locked in at submission. A stage pays once (unique)."""

    __tablename__ = "payouts"
    __table_args__ = (UniqueConstraint("referral_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    share_percent: Mapped[int]
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PayoutStatus] = mapped_column(
        enum_column(PayoutStatus), default=PayoutStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When the share falls due, counted from the hire's start date (the share at hire on the
    # start date, the share after probation when probation ends), not from HR's click.
    due_on: Mapped[date | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_on: Mapped[date | None]
    payroll_reference: Mapped[str | None] = mapped_column(String(64))
    paid_at: Mapped[datetime | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_cause: Mapped[CancelCause | None] = mapped_column(enum_column(CancelCause))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    referral: Mapped[Referral] = relationship()
    referrer: Mapped[User] = relationship(foreign_keys=[referrer_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    def is_overdue(self, overdue_days: int, now: datetime | None = None) -> bool:
        """Pending for longer than `overdue_days` days since it was earned, or since it fell due
        when that is later (a share at hire for a start date weeks ahead is not late yet)."""
        if self.status != PayoutStatus.PENDING:
            return False
        since = self.created_at
        if self.due_on is not None:
            since = max(since, datetime.combine(self.due_on, time.min))
        return since < (now or utcnow()) - timedelta(days=overdue_days)
