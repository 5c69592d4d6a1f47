"""One-click invitations (一键邀请): a referrer invites someone to apply to a job, by e-mail or
text message; the person opens a personal link, and consents and applies, or declines.

An `Invitation` holds the contact only while it is needed: shown to its referrer alone, cleared
when the person declines or the referrer withdraws it, and the whole row is deleted
`INVITATION_DELETE_DAYS` after it was sent unless it was accepted (then the referral holds what the
candidate gave, with their consent). What stays of a deleted one is a count
(`InvitationTally`: day, channel, outcome; no person, no job). Its e-mails in the mail room's outbox
go with the contact (`outbox.forget`), and HR's outbox pages never show them
(`outbox.keep_private`). `InviteSuppression` is the list of
people who asked never to be invited again, keyed by a salted hash of the contact, never the
contact itself. `TextMessage` is an SMS waiting for the worker (deleted once sent).
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
from community.jobs.models import Job


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"  # sent, not opened yet
    OPENED = "opened"  # the person opened the link, has not answered
    ACCEPTED = "accepted"  # they consented and applied: a referral with source "invite"
    DECLINED = "declined"  # they said no (perhaps "never again"); the contact is cleared
    WITHDRAWN = "withdrawn"  # the referrer took it back (a wrong number); the contact is cleared
    EXPIRED = "expired"  # nobody answered in time (the worker)


OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)


class Invitation(db.Model):
    """One invitation of one person to one job by one referrer.

    `contact` is the address or the number (E.164) as normalised, None once cleared;
    `contact_hint` a masked form ("l***@example.com", "+86 ****5678") that stays for the
    referrer's list; `contact_hash` the salted hash of the contact's identity (the key of the
    suppression list and of "already invited"). `key` is the random part of the personal link's
    signed token (`invites.tokens`). `answered_at`: the person answered (accepted, declined) or
    applied and was not recorded because someone already owns them; no reminder follows."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    contact: Mapped[str | None] = mapped_column(String(254))
    contact_hint: Mapped[str] = mapped_column(String(80), default="")
    contact_hash: Mapped[str] = mapped_column(String(64), index=True)
    locale: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    key: Mapped[str] = mapped_column(String(32))
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    opened_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
    # The outbox's e-mails of this invitation (the mail room's ids), forgotten with the contact.
    email_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    referrer: Mapped[User] = relationship()
    job: Mapped[Job] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def status_at(self, now: datetime) -> InvitationStatus:
        """The status a reader should see at `now`: an open one past its expiry is expired even
        before the worker has marked it."""
        if self.is_open and self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return self.status


class InviteSuppression(db.Model):
    """Someone who asked never to be invited again: the salted hash of their contact only."""

    __tablename__ = "invite_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvitationTally(db.Model):
    """How many invitations sent on `day` (company zone) by `channel` ended as `outcome`, counted
    when the worker deleted them: what the program learns without keeping anyone's data."""

    __tablename__ = "invitation_tallies"
    __table_args__ = (UniqueConstraint("day", "channel", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    outcome: Mapped[InvitationStatus] = mapped_column(enum_column(InvitationStatus))
    count: Mapped[int] = mapped_column(default=0)


class TextMessageStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (perhaps after a failed try)
    FAILED = "failed"  # the backend refused it SMS_MAX_ATTEMPTS times


class TextMessage(db.Model):
    """An SMS of an invitation (the invitation or its reminder), sent by the worker through
    `SMS_BACKEND` with retries, and deleted once sent."""

    __tablename__ = "invite_text_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    to_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[TextMessageStatus] = mapped_column(
        enum_column(TextMessageStatus), default=TextMessageStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
