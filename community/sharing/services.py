"""Every change a person makes to a session and its seats: host, edit, cancel; answer (RSVP)
and take the answer back. Each checks who may, writes its rows and commits; a refusal writes
nothing.

Seats are counted under the session's row lock (`SELECT … FOR UPDATE`): two people answering
the last seat at once on PostgreSQL queue on that lock, and the second finds the session full and
joins the waitlist (tests/sharing/test_races.py). A seat freed by a cancellation, or added by a
capacity raise, goes to the first person waiting in the same transaction, who is told
(`SharingSeatGiven`). Attendance is in `attendance`, slides and recordings in `materials`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db
from community.forum import queries as forum_queries
from community.sharing.models import (
    ANSWERED,
    RsvpStatus,
    SessionStatus,
    SharingRsvp,
    SharingSession,
)
from community.sharing.permissions import can_host_sessions, can_manage_session
from community.sharing.rules import SessionFields, SharingError, check_fields, check_reason


def locked(session_id: int) -> SharingSession:
    """The session, its row locked until the transaction ends (on SQLite the write lock of the
    first write does the same); a 404 refusal when there is none."""
    session = db.session.scalars(
        select(SharingSession).where(SharingSession.id == session_id).with_for_update()
    ).first()
    if session is None:
        raise SharingError(_("There is no such session."), status=NOT_FOUND)
    return session


def require_manager(user: User, session: SharingSession) -> None:
    if not can_manage_session(user, session):
        raise SharingError(_("Only the host and HR can change this session."), status=FORBIDDEN)


def require_open(session: SharingSession) -> None:
    if session.is_cancelled:
        raise SharingError(_("This session was cancelled."), status=CONFLICT)


def going_count(session_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SharingRsvp)
        .where(SharingRsvp.session_id == session_id, SharingRsvp.status == RsvpStatus.GOING)
    )


def answered_ids(session_id: int) -> tuple[int, ...]:
    """Everyone going or waiting, in the order they answered."""
    return tuple(
        db.session.scalars(
            select(SharingRsvp.user_id)
            .where(SharingRsvp.session_id == session_id, SharingRsvp.status.in_(ANSWERED))
            .order_by(SharingRsvp.joined_at, SharingRsvp.id)
        )
    )


# Hosting -----------------------------------------------------------------------------------


def create_session(host: User, fields: SessionFields) -> SharingSession:
    """Publish a new session hosted by `host` (HR or a club member); the forum hears of it."""
    if not can_host_sessions(host):
        raise SharingError(_("Only HR and members of the club host sessions."), status=FORBIDDEN)
    with committed():
        checked = check_fields(fields, new=True)
        now = utcnow()
        session = SharingSession(
            host_id=host.id,
            status=SessionStatus.SCHEDULED,
            created_at=now,
            updated_at=now,
            **asdict(checked),
        )
        db.session.add(session)
        db.session.flush()
        events.publish(
            events.SharingSessionScheduled(
                session_id=session.id,
                title=session.title,
                title_en=session.title_en,
                description=session.description,
                starts_at=session.starts_at,
                host_id=host.id,
                at=now,
            )
        )
        # the forum opened the session's topic for questions as it heard of it
        session.forum_topic_id = forum_queries.topic_id_for_origin(f"sharing-session:{session.id}")
    return session


def update_session(actor: User, session_id: int, fields: SessionFields) -> SharingSession:
    """Change a session that has not started. A later time or another place is announced to
    everyone who answered, and the reminders start over; more seats go to the waitlist at once;
    fewer seats than people going is refused (nobody loses a seat they were given)."""
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        require_open(session)
        now = utcnow()
        if session.starts_at <= now:
            raise SharingError(
                _("The session has started; only its slides and recording can change now."),
                status=CONFLICT,
            )
        # The form writes minutes: a time shown and sent back unchanged is the same time.
        for name in ("starts_at", "ends_at"):
            kept = getattr(session, name)
            if getattr(fields, name) == kept.replace(second=0, microsecond=0):
                setattr(fields, name, kept)
        moved = fields.starts_at != session.starts_at
        checked = check_fields(fields, new=moved)
        assert checked.capacity is not None  # (checked)
        going = going_count(session.id)
        if checked.capacity < going:
            raise SharingError(
                ngettext(
                    "%(num)d person is going already: capacity cannot be lower.",
                    "%(num)d people are going already: capacity cannot be lower.",
                    going,
                ),
                field="capacity",
            )
        calendar_fields = ("starts_at", "ends_at", "location", "online_url", "title", "title_en")
        before = {name: getattr(session, name) for name in calendar_fields}
        for name, value in asdict(checked).items():
            setattr(session, name, value)
        session.updated_at = now
        if any(before[name] != getattr(session, name) for name in calendar_fields):
            session.sequence += 1  # calendars replace their copy of the event
        if moved:
            # Reminders are about the new time: each is due again.
            for rsvp in db.session.scalars(
                select(SharingRsvp).where(SharingRsvp.session_id == session.id)
            ):
                rsvp.reminded_24h_at = rsvp.reminded_1h_at = None
        if any(before[name] != getattr(session, name) for name in calendar_fields[:4]):
            people = tuple(i for i in answered_ids(session.id) if i != actor.id)
            if people:
                events.publish(
                    events.SharingSessionChanged(
                        session_id=session.id,
                        title=session.title,
                        title_en=session.title_en,
                        starts_at=session.starts_at,
                        people=people,
                        at=now,
                    )
                )
        promote(session, now)
    return session


def cancel_session(actor: User, session_id: int, reason: str | None) -> SharingSession:
    """Cancel a session that has not ended; everyone going or waiting is told, with the reason."""
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        require_open(session)
        now = utcnow()
        if session.ends_at <= now:
            raise SharingError(
                _("The session is over; it can no longer be cancelled."), status=CONFLICT
            )
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = session.updated_at = now
        session.cancel_reason = check_reason(reason) or None
        session.sequence += 1
        people = tuple(i for i in answered_ids(session.id) if i != actor.id)
        if people:
            events.publish(
                events.SharingSessionCancelled(
                    session_id=session.id,
                    title=session.title,
                    title_en=session.title_en,
                    starts_at=session.starts_at,
                    reason=session.cancel_reason or "",
                    people=people,
                    at=now,
                )
            )
    return session


# Seats ---------------------------------------------------------------------------------------


def promote(session: SharingSession, now: datetime) -> list[SharingRsvp]:
    """Give every free seat of a session that has not started to the first people waiting, in
    the caller's transaction (under the session's lock), and tell each of them."""
    if session.is_cancelled or session.starts_at <= now:
        return []
    free = session.capacity - going_count(session.id)
    if free <= 0:
        return []
    line = db.session.scalars(
        select(SharingRsvp)
        .where(SharingRsvp.session_id == session.id, SharingRsvp.status == RsvpStatus.WAITLISTED)
        .order_by(SharingRsvp.joined_at, SharingRsvp.id)
        .limit(free)
    ).all()
    for rsvp in line:
        rsvp.status = RsvpStatus.GOING
        rsvp.going_since = rsvp.promoted_at = now
        events.publish(
            events.SharingSeatGiven(
                session_id=session.id,
                title=session.title,
                title_en=session.title_en,
                starts_at=session.starts_at,
                user_id=rsvp.user_id,
                at=now,
            )
        )
    db.session.flush()
    return list(line)


def rsvp(user: User, session_id: int) -> SharingRsvp:
    """Answer "I'm going": a seat while there is one, else the back of the waitlist. Answering
    again is harmless (the answer stands); after the start it is refused."""
    with committed():
        session = locked(session_id)
        require_open(session)
        now = utcnow()
        if session.starts_at <= now:
            raise SharingError(
                _("The session has started: answers closed at its start."), status=CONFLICT
            )
        if session.host_id == user.id:
            raise SharingError(_("You host this session: you need no seat."), status=CONFLICT)
        answer = db.session.scalars(
            select(SharingRsvp).where(
                SharingRsvp.session_id == session.id, SharingRsvp.user_id == user.id
            )
        ).first()
        if answer is not None and answer.status in ANSWERED:
            return answer
        seat = going_count(session.id) < session.capacity
        if answer is None:
            answer = SharingRsvp(session_id=session.id, user_id=user.id)
            db.session.add(answer)
        answer.status = RsvpStatus.GOING if seat else RsvpStatus.WAITLISTED
        answer.joined_at = now  # a second answer goes to the back of the line
        answer.going_since = now if seat else None
        answer.promoted_at = answer.cancelled_at = None
        answer.reminded_24h_at = answer.reminded_1h_at = None
        db.session.flush()
    return answer


def cancel_rsvp(user: User, session_id: int) -> SharingRsvp:
    """Take one's answer back before the start; a seat it frees goes to the first person waiting,
    in the same transaction."""
    with committed():
        session = locked(session_id)
        now = utcnow()
        answer = db.session.scalars(
            select(SharingRsvp).where(
                SharingRsvp.session_id == session.id, SharingRsvp.user_id == user.id
            )
        ).first()
        if answer is None or answer.status not in ANSWERED:
            raise SharingError(_("You have not answered this session."), status=CONFLICT)
        if session.starts_at <= now and not session.is_cancelled:
            raise SharingError(
                _("The session has started: it is too late to cancel."), status=CONFLICT
            )
        freed = answer.status == RsvpStatus.GOING
        answer.status = RsvpStatus.CANCELLED
        answer.cancelled_at = now
        answer.going_since = None
        db.session.flush()
        if freed:
            promote(session, now)
    return answer


def waitlist_position(answer: SharingRsvp) -> int | None:
    """Where a waiting person stands in line (1 = next to get a seat), None when not waiting."""
    if answer.status != RsvpStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(SharingRsvp)
        .where(
            SharingRsvp.session_id == answer.session_id,
            SharingRsvp.status == RsvpStatus.WAITLISTED,
            (SharingRsvp.joined_at < answer.joined_at)
            | ((SharingRsvp.joined_at == answer.joined_at) & (SharingRsvp.id < answer.id)),
        )
    )
    return int(ahead or 0) + 1
