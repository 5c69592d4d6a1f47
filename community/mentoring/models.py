"""Mentoring (老带新): experienced referrers offer to mentor, newcomers ask, HR pairs.

A `MentorOffer` is one person's standing offer (topics, capacity, open/paused/withdrawn). A
`Pairing` is one mentor and one mentee, from the request (or HR's pairing) to its end: its goal
with a due date, the mentee's sharing choices, and how it ended. `CheckInNote`s are the pair's
private notes (the pair and HR read them, nobody else). A `MentorReward` is the mentor's reward
for the mentee's first referral that passed screening during the pairing: its ledger entry, and
its reversal when the referral is later rejected as a duplicate or a self-referral.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class OfferStatus(enum.StrEnum):
    OPEN = "open"  # listed in the directory while it has free places
    PAUSED = "paused"  # kept, not listed; current pairings go on
    WITHDRAWN = "withdrawn"  # no longer offered; current pairings go on to their end


class PairingStatus(enum.StrEnum):
    REQUESTED = "requested"  # a newcomer asked; the mentor has not answered
    DECLINED = "declined"  # the mentor said no
    WITHDRAWN = "withdrawn"  # the newcomer took the request back
    EXPIRED = "expired"  # nobody answered in time (the worker)
    ACTIVE = "active"  # accepted by the mentor, or paired by HR
    ENDED = "ended"  # ended by one of the pair, HR, or its end date


OPEN_STATUSES = (PairingStatus.REQUESTED, PairingStatus.ACTIVE)


class Outcome(enum.StrEnum):
    GOAL_REACHED = "goal_reached"
    COMPLETED = "completed"  # ran its course without the goal being marked reached
    STOPPED = "stopped"  # one of the pair or HR stopped it early


class MentorOffer(db.Model):
    """One person's offer to mentor. `topics`: short labels ("简历", "Interview prep"), at most
    `services.MAX_TOPICS`. `capacity`: how many active pairings at once; the offer row is locked
    while a place is taken, so two accepts at once cannot overfill it."""

    __tablename__ = "mentor_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    about: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(default=2)
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus), default=OfferStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Pairing(db.Model):
    """A mentor and a mentee. `requested_by_id` is the mentee (a request) or HR (a pairing made by
    HR, active at once). `goal` and `goal_due_on` (a day in the company's zone) are set by the pair
    or HR; `ends_on` is the day the pairing ends on its own (the worker ends it). `share_*` are the
    mentee's choices of what of their progress the mentor sees (never candidate data)."""

    __tablename__ = "mentor_pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[PairingStatus] = mapped_column(enum_column(PairingStatus), index=True)
    message: Mapped[str] = mapped_column(Text, default="")  # the newcomer's request
    answer: Mapped[str] = mapped_column(Text, default="")  # the mentor's reason to decline
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    goal: Mapped[str] = mapped_column(String(200), default="")
    goal_due_on: Mapped[date | None]
    goal_reached_at: Mapped[datetime | None]
    goal_reminded_at: Mapped[datetime | None]  # the due-date reminder went out (once)
    ends_on: Mapped[date | None]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    share_referral_count: Mapped[bool] = mapped_column(default=False)
    share_stages: Mapped[bool] = mapped_column(default=False)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    notes: Mapped[list[CheckInNote]] = relationship(
        order_by="CheckInNote.id", back_populates="pairing"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def other_of(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id


class CheckInNote(db.Model):
    """A private check-in note (Markdown) by one of the pair. Read by the pair and HR only."""

    __tablename__ = "mentor_check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairings.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="notes")
    author: Mapped[User] = relationship()


class MentorReward(db.Model):
    """The mentor's reward for one referral of the mentee that passed screening. At most one
    standing (not reversed) reward per pairing, checked under the pairing's row lock; unique per
    pairing and referral. `entry_id` is its ledger entry (`mentoring:<pairing>:reward:<referral>`);
    a void rejection of the referral writes the reversal and sets `reversed_at`."""

    __tablename__ = "mentor_rewards"
    __table_args__ = (UniqueConstraint("pairing_id", "referral_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairings.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    points: Mapped[int]
    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"))
    awarded_at: Mapped[datetime]
    reversed_at: Mapped[datetime | None]
    reversal_entry_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"))
