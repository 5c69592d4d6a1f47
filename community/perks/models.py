"""The perk shop: perks HR offers for points, and each redemption of one by an employee."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.points.models import PointEntry


class RedemptionStatus(enum.StrEnum):
    PENDING = "pending"  # the points are reserved; HR approves or rejects
    FULFILLED = "fulfilled"  # approved (or needed no approval)
    REJECTED = "rejected"  # the points came back as a refunded entry


class OwedReason(enum.StrEnum):
    """Why a perk won as a challenge prize could not be handed over when it was won: the
    voucher waits for HR as pending (`perks.vouchers`)."""

    OUT_OF_STOCK = "out_of_stock"
    NOT_OFFERED = "not_offered"  # HR had taken the perk out of the shop


class PerkCategory(enum.StrEnum):
    """What kind of perk it is; a perk without a picture of its own is shown with its category's
    illustration (static/img/perks/<category>.svg)."""

    TIME_OFF = "time_off"
    HEALTH = "health"
    LEARNING = "learning"
    FOOD = "food"
    MERCHANDISE = "merchandise"
    EXPERIENCE = "experience"
    OTHER = "other"


class Perk(db.Model):
    """Something an employee can buy with points. Name and description in both languages."""

    __tablename__ = "perks"
    __table_args__ = (
        CheckConstraint("cost_points > 0", name="cost_positive"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    cost_points: Mapped[int]
    stock: Mapped[int | None]  # None = unlimited
    limit_per_year: Mapped[int | None]  # per person per calendar year (company time zone)
    requires_approval: Mapped[bool] = mapped_column(default=True)
    category: Mapped[PerkCategory] = mapped_column(
        enum_column(PerkCategory), default=PerkCategory.OTHER, server_default="other"
    )
    active: Mapped[bool] = mapped_column(default=True, index=True)
    picture_file: Mapped[str | None] = mapped_column(String(64))
    picture_mimetype: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def name_in(self, locale: str) -> str:
        return (self.name_zh if locale == "zh_CN" else self.name_en) or self.name_en

    def description_in(self, locale: str) -> str:
        return (self.description_zh if locale == "zh_CN" else self.description_en) or ""

    @property
    def name(self) -> str:
        """The name in the reader's language."""
        from community.core.i18n import current_locale

        return self.name_in(current_locale())

    @property
    def description(self) -> str:
        from community.core.i18n import current_locale

        return self.description_in(current_locale())

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


class Redemption(db.Model):
    """One employee spending points on one perk. The cost is locked in when redeemed; the spent
    (and, on rejection, refunded) ledger entries are linked so the history can name the perk.

    A voucher won as a challenge prize is a redemption too (`perks.vouchers`): it costs 0 points
    and has no ledger entry; `challenge_award_id` (the challenge room's award, unique: one voucher
    per award, ever) marks it, with the challenge's title in both languages as it was and the
    place won. `owed_reason` says why one waited for HR instead of being handed over at once."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    perk_id: Mapped[int] = mapped_column(ForeignKey("perks.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cost_points: Mapped[int]
    status: Mapped[RedemptionStatus] = mapped_column(
        enum_column(RedemptionStatus), default=RedemptionStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    spent_entry_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"), index=True)
    refund_entry_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"), index=True)
    challenge_award_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_awards.id"), unique=True
    )
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"))
    challenge_title: Mapped[str | None] = mapped_column(String(120))  # base (Chinese) wording
    challenge_title_en: Mapped[str | None] = mapped_column(String(120))
    prize_rank: Mapped[int | None]
    owed_reason: Mapped[OwedReason | None] = mapped_column(enum_column(OwedReason))

    perk: Mapped[Perk] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    spent_entry: Mapped[PointEntry | None] = relationship(foreign_keys=[spent_entry_id])
    refund_entry: Mapped[PointEntry | None] = relationship(foreign_keys=[refund_entry_id])

    @property
    def is_prize(self) -> bool:
        """A voucher won in a challenge, not bought with points."""
        return self.challenge_award_id is not None
