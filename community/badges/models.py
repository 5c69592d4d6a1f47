"""Levels (thresholds on lifetime score), badge awards and the gold-referrer tier thresholds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db

# Defaults for the gold referrer (金牌内推人): hires in the last 12 months per tier.
DEFAULT_GOLD_THRESHOLDS: dict[str, int] = {"bronze": 1, "silver": 3, "gold": 5}
# The levels the migration seeds (threshold, English, Chinese); HR edits them afterwards.
DEFAULT_LEVELS: tuple[tuple[int, str, str], ...] = (
    (0, "Newcomer", "新人"),
    (100, "Talent Scout", "伯乐"),
    (300, "Seasoned Scout", "资深伯乐"),
    (800, "Referral Pro", "内推达人"),
    (2000, "Referral Master", "内推大师"),
)


class Level(db.Model):
    """A level reached at `threshold` lifetime points; the lowest level starts at 0."""

    __tablename__ = "levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    threshold: Mapped[int] = mapped_column(unique=True)
    name_en: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(60))

    def name_in(self, locale: str) -> str:
        return self.name_zh if locale == "zh_CN" else self.name_en

    @property
    def name(self) -> str:
        """The level's name in the reader's language."""
        from community.core.i18n import current_locale

        return self.name_in(current_locale())


class UserBadge(db.Model):
    """A badge (or one tier of it) a person holds. Once per (user, badge, tier): `tier` is ""
    for badges without tiers, so the unique constraint holds (NULLs would never collide). A
    badge earned once per occasion keeps the occasion as its tier ("challenge:12").

    `granted_by_id` + `reason` are set when HR granted it by hand; `announced_at` is set once the
    person has seen the toast. `revoked_at` (+ by whom, why) is set when HR took it back: the row
    stays (the audit, and the unique key keeps the rules from awarding it again), but the badge
    is gone from every page (`queries` read only `held_now`).
    """

    __tablename__ = "user_badges"
    __table_args__ = (UniqueConstraint("user_id", "badge_key", "tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    badge_key: Mapped[str] = mapped_column(String(60))
    tier: Mapped[str] = mapped_column(String(20), default="")
    earned_at: Mapped[datetime] = mapped_column(default=utcnow)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    announced_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    # Not a column: how many awards this row stands for where a badge earned on several
    # occasions (each challenge won) is listed once, as its newest (`queries.badges_of`).
    times = 1


# What every page reads: the badges a person holds now (not those HR revoked).
held_now = UserBadge.revoked_at.is_(None)


class BadgeSettings(db.Model):
    """HR's thresholds for the gold referrer tiers (one row; the defaults apply until saved)."""

    __tablename__ = "badge_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    gold_bronze_hires: Mapped[int] = mapped_column(default=DEFAULT_GOLD_THRESHOLDS["bronze"])
    gold_silver_hires: Mapped[int] = mapped_column(default=DEFAULT_GOLD_THRESHOLDS["silver"])
    gold_gold_hires: Mapped[int] = mapped_column(default=DEFAULT_GOLD_THRESHOLDS["gold"])
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def thresholds(self) -> dict[str, int]:
        return {
            "bronze": self.gold_bronze_hires,
            "silver": self.gold_silver_hires,
            "gold": self.gold_gold_hires,
        }
