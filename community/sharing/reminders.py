"""Reminders 24 hours and 1 hour before a session, on the worker (`sharing.remind`).

Computed from the clock: each tick asks which people going to a session that has not started
were not yet reminded. A person's reminder is marked sent (`reminded_24h_at`, `reminded_1h_at`)
in the transaction that writes it, under the session's row lock, so running twice or two workers
at once remind nobody twice, and a worker that was down catches up on its first tick. A reminder
whose moment has passed is not sent late: none after the start, and no "tomorrow" when the hour
before has begun (the 1-hour reminder says it instead). Someone who got their seat after a
reminder's moment is not sent it (they have just answered). Moving a session clears the marks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from community import events
from community.extensions import db
from community.sharing.models import RsvpStatus, SessionStatus, SharingRsvp, SharingSession

logger = logging.getLogger(__name__)

DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)


def _remind(session: SharingSession, now: datetime) -> int:
    """Send what is due for one session (its row locked); returns how many people were reminded."""
    if session.status != SessionStatus.SCHEDULED or now >= session.starts_at:
        return 0
    in_last_hour = now >= session.starts_at - HOUR_BEFORE
    hours, column, due_from = (
        (1, SharingRsvp.reminded_1h_at, session.starts_at - HOUR_BEFORE)
        if in_last_hour
        else (24, SharingRsvp.reminded_24h_at, session.starts_at - DAY_BEFORE)
    )
    waiting = db.session.scalars(
        select(SharingRsvp)
        .where(
            SharingRsvp.session_id == session.id,
            SharingRsvp.status == RsvpStatus.GOING,
            column.is_(None),
        )
        .order_by(SharingRsvp.id)
    ).all()
    people = []
    for answer in waiting:
        if hours == 1:
            answer.reminded_1h_at = now
            answer.reminded_24h_at = answer.reminded_24h_at or now  # too late for that one
        else:
            answer.reminded_24h_at = now
        if answer.going_since is not None and answer.going_since < due_from:
            people.append(answer.user_id)
    if people:
        events.publish(
            events.SharingReminderDue(
                session_id=session.id,
                title=session.title,
                title_en=session.title_en,
                starts_at=session.starts_at,
                hours=hours,
                people=tuple(people),
                at=now,
            )
        )
    return len(people)


def remind(now: datetime) -> int:
    """The worker's duty: every reminder due by `now`, each session in its own transaction."""
    ids = list(
        db.session.scalars(
            select(SharingSession.id)
            .where(
                SharingSession.status == SessionStatus.SCHEDULED,
                SharingSession.starts_at > now,
                SharingSession.starts_at <= now + DAY_BEFORE,
            )
            .order_by(SharingSession.starts_at, SharingSession.id)
        )
    )
    db.session.rollback()  # end the read; each session is reminded in its own transaction
    sent = 0
    for session_id in ids:
        try:
            session = db.session.scalars(
                select(SharingSession).where(SharingSession.id == session_id).with_for_update()
            ).first()
            if session is not None:
                sent += _remind(session, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("sharing: reminders of session %s failed", session_id)
    return sent
