"""Sharing sessions (分享会): a talk HR or a club member hosts, who is going, who waits for a
seat, who came, and each person's private calendar feed.

Times are naive UTC (shown in the company's zone). A session's title and description follow the
house's two-language convention (`core.localized`: the base column holds the Chinese, or the only
wording; `*_en` the English). `forum_topic_id` names the forum topic where people ask questions:
the forum room fills it in when it hears `SharingSessionScheduled`, so it is a plain integer and
not a foreign key (this room sits beside the forum, not above it).

`SharingRsvp` is one person's answer to one session (unique pair, so a double submit cannot seat
someone twice). The waitlist is first come, first served: `joined_at` orders it and is set again
when a person who had cancelled answers anew (to the back of the line).
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # published: people RSVP (it may have started or ended by the clock)
    CANCELLED = "cancelled"


class RsvpStatus(enum.StrEnum):
    GOING = "going"  # holds a seat
    WAITLISTED = "waitlisted"  # waits for a seat, first come first served
    CANCELLED = "cancelled"  # answered, then took it back (kept: the row keeps their history)
    WALK_IN = "walk_in"  # came without a seat, on a session that lets people walk in


# The answers that count a person in (reminders, the calendar feed, the attendance list).
ANSWERED = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)


def new_check_in_key() -> str:
    return secrets.token_urlsafe(12)


class SharingSession(db.Model):
    """One session. `capacity` seats are held by GOING answers; `sequence` counts the changes a
    calendar must pick up (RFC 5545 SEQUENCE); `check_in_key` is part of every check-in code, so
    the host can void a code that was passed around by making a new one."""

    __tablename__ = "sharing_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    speakers: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int]
    allow_walk_ins: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus), default=SessionStatus.SCHEDULED, index=True
    )
    sequence: Mapped[int] = mapped_column(default=0)
    check_in_key: Mapped[str] = mapped_column(String(40), default=new_check_in_key)
    slides_file: Mapped[str | None] = mapped_column(String(80))
    slides_filename: Mapped[str | None] = mapped_column(String(200))
    recording_url: Mapped[str | None] = mapped_column(String(500))
    forum_topic_id: Mapped[int | None]  # set by the forum room (no FK: see the module notes)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    host: Mapped[User] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class SharingRsvp(db.Model):
    """One person's answer to one session. `going_since` is when they got their seat (their own
    RSVP, or a promotion from the waitlist): a reminder due before it is not sent. Reminders are
    marked sent (`reminded_*_at`) in the transaction that writes them, so none goes twice.
    `attended_at` is set by the check-in code or the host's list; `points` is what that
    attendance holds on the ledger now, and `awards` how many times it was awarded (each award
    and taking back has its own idempotency key: see `sharing.attendance`)."""

    __tablename__ = "sharing_rsvps"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_sharing_rsvps_line", "session_id", "status", "joined_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # (session_id is indexed by the unique pair and the line index)
    session_id: Mapped[int] = mapped_column(ForeignKey("sharing_sessions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[RsvpStatus] = mapped_column(enum_column(RsvpStatus))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    going_since: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    reminded_24h_at: Mapped[datetime | None]
    reminded_1h_at: Mapped[datetime | None]
    attended_at: Mapped[datetime | None]
    attendance_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    points: Mapped[int] = mapped_column(default=0)
    awards: Mapped[int] = mapped_column(default=0)

    session: Mapped[SharingSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CalendarFeed(db.Model):
    """A person's private calendar feed: `/sharing/calendar/<token>.ics` lists the sessions they
    answered, without logging in (calendar apps cannot). The token is the only key, so it is long
    and random, and resetting it makes the old URL answer 404."""

    __tablename__ = "sharing_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
