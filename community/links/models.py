"""Referral codes (内推码) and personal links.

Every employee has one `ReferralCode`: short, unambiguous, unique. Its own address,
`/r/<code>`, is their link for all open jobs; `/r/<code>/<job id>` is their personal link for one
job, a `PersonalLink` row made the first time it is counted or switched (an open job without a
row is a link that works and was never opened). The code typed on the public jobs page leads to
the same pages, with the source "code".

Switched off, a code stops every link of its owner and the typed code; a `PersonalLink` stops
one job's link. `off_by_hr` marks a switch-off HR made: only HR switches it on again.

`clicks` counts visitors: one per visitor, link and day (`links.counting` keeps the day's
visitors in Redis as salted hashes, never an address). How many applied through each link is not
kept here: it is read from the referrals themselves (`links.queries`), so it cannot drift.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job


class ReferralCode(db.Model):
    """One employee's referral code, and the switch and visitor count of their all-jobs link."""

    __tablename__ = "referral_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    off_by_hr: Mapped[bool] = mapped_column(default=False)
    clicks: Mapped[int] = mapped_column(default=0)
    switched_at: Mapped[datetime | None]
    switched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PersonalLink(db.Model):
    """One employee's link for one job: its switch and its visitor count."""

    __tablename__ = "personal_links"
    __table_args__ = (UniqueConstraint("code_id", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("referral_codes.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    off_by_hr: Mapped[bool] = mapped_column(default=False)
    clicks: Mapped[int] = mapped_column(default=0)
    switched_at: Mapped[datetime | None]
    switched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    code: Mapped[ReferralCode] = relationship()
    job: Mapped[Job] = relationship()
