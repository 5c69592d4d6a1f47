"""The invitations' clock, run by the worker every minute.

`invites.keep-time`, computed from the clock and idempotent (a worker that was down catches up
on its first tick):
- an open invitation past `expires_at` (INVITATION_EXPIRY_DAYS after it was sent) expires;
- an open invitation INVITATION_REMIND_DAYS old, not answered and not expired, is reminded once
  (`reminded_at`), by the channel it came by, in its language;
- an invitation that was not accepted is deleted INVITATION_DELETE_DAYS after it was sent, with its
  contact and any text message of it; only a count stays (`InvitationTally`: day, channel,
  outcome). An accepted one stays, without a contact, linked to its referral.
Each invitation is re-read under its row lock, so two workers never act on one twice.

`invites.send-sms` sends the queued text messages (`invites.sms.send_due`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete, select

from community import events
from community.core.time import to_local
from community.extensions import db
from community.invites import messages, sms
from community.invites.models import (
    OPEN_STATUSES,
    Channel,
    Invitation,
    InvitationStatus,
    InvitationTally,
    TextMessage,
)
from community.invites.services import days
from community.worker.duties import Duty, register

logger = logging.getLogger(__name__)

BATCH = 500


def _each(ids: list[int], act: Callable[[Invitation], bool]) -> int:
    """`act` on each invitation under its row lock, one commit each; how many it acted on."""
    done = 0
    for invitation_id in ids:
        try:  # one invitation that fails never holds up the others
            invitation = db.session.scalars(
                select(Invitation).where(Invitation.id == invitation_id).with_for_update()
            ).first()
            if invitation is not None and act(invitation):
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception(
                "invites: invitation %s failed; the next tick tries again", invitation_id
            )
    return done


def _expire(invitation: Invitation, now: datetime) -> None:
    invitation.status = InvitationStatus.EXPIRED
    db.session.execute(delete(TextMessage).where(TextMessage.invitation_id == invitation.id))
    events.publish(
        events.InvitationExpired(
            invitation_id=invitation.id,
            referrer_id=invitation.referrer_id,
            job_id=invitation.job_id,
            at=now,
        )
    )


def expire(now: datetime) -> int:
    """Open invitations past their expiry become expired (their queued texts are dropped)."""
    ids = db.session.scalars(
        select(Invitation.id).where(
            Invitation.status.in_(OPEN_STATUSES), Invitation.expires_at <= now
        )
    ).all()

    def act(invitation: Invitation) -> bool:
        if not (invitation.is_open and invitation.expires_at <= now):
            return False
        _expire(invitation, now)
        return True

    return _each(list(ids), act)


def job_closed(event: events.JobClosed) -> None:
    """A closed job's open invitations expire at once, in the closing transaction: no reminder
    about it goes out, and the link says the job is closed."""
    open_ones = db.session.scalars(
        select(Invitation)
        .where(Invitation.job_id == event.job_id, Invitation.status.in_(OPEN_STATUSES))
        .order_by(Invitation.id)
        .with_for_update()
    ).all()
    for invitation in open_ones:
        _expire(invitation, event.at)


def remind(now: datetime) -> int:
    """The one reminder of an invitation nobody has answered, INVITATION_REMIND_DAYS after it."""
    due = now - days("INVITATION_REMIND_DAYS", 7)

    def waiting(invitation: Invitation) -> bool:
        return (
            invitation.is_open
            and invitation.reminded_at is None
            and invitation.answered_at is None
            and invitation.created_at <= due
            and invitation.expires_at > now
        )

    ids = db.session.scalars(
        select(Invitation.id).where(
            Invitation.status.in_(OPEN_STATUSES),
            Invitation.reminded_at.is_(None),
            Invitation.answered_at.is_(None),
            Invitation.created_at <= due,
            Invitation.expires_at > now,
        )
    ).all()

    def act(invitation: Invitation) -> bool:
        if not waiting(invitation):
            return False
        invitation.reminded_at = now
        messages.deliver(invitation, reminder=True)
        return True

    return _each(list(ids), act)


def _day(invitation: Invitation) -> date:
    return to_local(invitation.created_at).date()


def _tally(counts: Counter[tuple[date, Channel, InvitationStatus]]) -> None:
    for (day, channel, outcome), count in sorted(counts.items()):
        row = db.session.scalars(
            select(InvitationTally)
            .where(
                InvitationTally.day == day,
                InvitationTally.channel == channel,
                InvitationTally.outcome == outcome,
            )
            .with_for_update()
        ).first()
        if row is None:
            db.session.add(InvitationTally(day=day, channel=channel, outcome=outcome, count=count))
        else:
            row.count += count


def delete_old(now: datetime) -> int:
    """Delete the invitations not accepted INVITATION_DELETE_DAYS after they were sent, keeping
    only their counts; one batch per commit."""
    cutoff = now - days("INVITATION_DELETE_DAYS", 30)
    deleted = 0
    while True:
        batch = db.session.scalars(
            select(Invitation)
            .where(Invitation.status != InvitationStatus.ACCEPTED, Invitation.created_at <= cutoff)
            .order_by(Invitation.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not batch:
            return deleted
        counts: Counter[tuple[date, Channel, InvitationStatus]] = Counter(
            (_day(invitation), invitation.channel, invitation.status_at(now))
            for invitation in batch
        )
        ids = [invitation.id for invitation in batch]
        _tally(counts)
        for invitation in batch:
            messages.forget(invitation)
        db.session.execute(delete(TextMessage).where(TextMessage.invitation_id.in_(ids)))
        db.session.execute(delete(Invitation).where(Invitation.id.in_(ids)))
        db.session.commit()
        deleted += len(ids)


def keep_time(now: datetime) -> int:
    """Do what is due by `now`; how many things were done."""
    return expire(now) + remind(now) + delete_old(now)


def init_app() -> None:
    register(
        Duty(
            "invites.keep-time",
            keep_time,
            "expire unanswered invitations, remind once before, delete what was not accepted "
            "with its contact data (counts stay)",
        )
    )
    register(Duty("invites.send-sms", sms.send_due, "send the invitations' text messages"))
