"""What the invitations' pages read: a referrer's own list (the only place a contact is shown,
and only to them), the open jobs one may invite to, and HR's single figure, how many are
pending (no contact, no job, no referrer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.invites.models import (
    OPEN_STATUSES,
    Invitation,
    InvitationStatus,
    TextMessage,
    TextMessageStatus,
)
from community.invites.services import sent_today
from community.jobs.models import Job, JobStatus


@dataclass(frozen=True)
class Row:
    """One line of "My invitations"."""

    invitation: Invitation
    status: InvitationStatus
    undelivered: bool  # its text message could not be sent

    @property
    def may_withdraw(self) -> bool:
        return self.status in OPEN_STATUSES


def mine(referrer_id: int, now: datetime | None = None) -> list[Row]:
    """The referrer's invitations, newest first, each with the status they should read."""
    now = now or utcnow()
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.referrer_id == referrer_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    failed = set(
        db.session.scalars(
            select(TextMessage.invitation_id).where(
                TextMessage.invitation_id.in_([i.id for i in invitations]),
                TextMessage.status == TextMessageStatus.FAILED,
            )
        )
    )
    return [Row(i, i.status_at(now), i.id in failed) for i in invitations]


def left_today(referrer_id: int, now: datetime | None = None) -> int:
    """How many more invitations the referrer may send today."""
    most = int(current_app.config.get("INVITATIONS_PER_DAY", 10))
    return max(most - sent_today(referrer_id, now or utcnow()), 0)


def pending_count(now: datetime | None = None) -> int:
    """How many invitations wait for an answer, company-wide: all HR sees of them."""
    now = now or utcnow()
    return int(
        db.session.scalar(
            select(func.count(Invitation.id)).where(
                Invitation.status.in_(OPEN_STATUSES), Invitation.expires_at > now
            )
        )
        or 0
    )


def open_jobs() -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(Job.status == JobStatus.OPEN).order_by(Job.title, Job.id)
        )
    )
