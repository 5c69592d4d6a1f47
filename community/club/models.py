"""The referrer club (内推人俱乐部): who is a member, since when, how they got in, and who among
them moderates. A membership that ended keeps its row (`ended_at`), so that a hire or a level
never brings back someone HR took out."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class MemberSource(enum.StrEnum):
    HIRE = "hire"  # their first referral was hired
    LEVEL = "level"  # they reached the level the company chose
    APPOINTED = "appointed"  # HR appointed them


class ClubMember(db.Model):
    """One person's membership. Current while `ended_at` is None; `moderator` only counts then."""

    __tablename__ = "club_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    source: Mapped[MemberSource] = mapped_column(enum_column(MemberSource))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderator: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    end_reason: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def current(self) -> bool:
        return self.ended_at is None
