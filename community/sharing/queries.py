"""Reading sessions: the list (upcoming, past, mine), one session with the reader's answer and
its seats, and the host's attendance list. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.sharing.models import (
    ANSWERED,
    RsvpStatus,
    SessionStatus,
    SharingRsvp,
    SharingSession,
)

PAST_PAGE_SIZE = 10


def get_session(session_id: int) -> SharingSession | None:
    return db.session.scalars(
        select(SharingSession)
        .options(joinedload(SharingSession.host))
        .where(SharingSession.id == session_id)
    ).first()


@dataclass(frozen=True)
class Seats:
    going: int
    waiting: int
    attended: int


def seats(session_ids: Iterable[int]) -> dict[int, Seats]:
    """Going, waiting and attended counts per session, in one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            SharingRsvp.session_id,
            func.sum(case((SharingRsvp.status == RsvpStatus.GOING, 1), else_=0)),
            func.sum(case((SharingRsvp.status == RsvpStatus.WAITLISTED, 1), else_=0)),
            func.count(SharingRsvp.attended_at),
        )
        .where(SharingRsvp.session_id.in_(ids))
        .group_by(SharingRsvp.session_id)
    ).all()
    found = {sid: Seats(int(g or 0), int(w or 0), int(a or 0)) for sid, g, w, a in rows}
    return {sid: found.get(sid, Seats(0, 0, 0)) for sid in ids}


def answers_of(user_id: int, session_ids: Iterable[int]) -> dict[int, SharingRsvp]:
    ids = list(session_ids)
    if not ids:
        return {}
    return {
        answer.session_id: answer
        for answer in db.session.scalars(
            select(SharingRsvp).where(
                SharingRsvp.user_id == user_id, SharingRsvp.session_id.in_(ids)
            )
        )
    }


def answer_of(user_id: int, session_id: int) -> SharingRsvp | None:
    return answers_of(user_id, [session_id]).get(session_id)


@dataclass(frozen=True)
class SessionLists:
    upcoming: list[SharingSession]
    past: Any  # a Pagination of SharingSession
    mine: list[SharingSession]  # upcoming ones the reader answered or hosts


def session_lists(user_id: int, now: datetime, past_page: int) -> SessionLists:
    upcoming = list(
        db.session.scalars(
            select(SharingSession)
            .options(joinedload(SharingSession.host))
            .where(SharingSession.ends_at > now)
            .order_by(SharingSession.starts_at, SharingSession.id)
        )
    )
    past = db.paginate(
        select(SharingSession)
        .options(joinedload(SharingSession.host))
        .where(SharingSession.ends_at <= now, SharingSession.status == SessionStatus.SCHEDULED)
        .order_by(SharingSession.starts_at.desc(), SharingSession.id.desc()),
        page=past_page,
        per_page=PAST_PAGE_SIZE,
        error_out=False,
    )
    answered = {
        answer.session_id
        for answer in answers_of(user_id, [s.id for s in upcoming]).values()
        if answer.status in ANSWERED
    }
    mine = [
        s for s in upcoming if not s.is_cancelled and (s.id in answered or s.host_id == user_id)
    ]
    return SessionLists(upcoming=upcoming, past=past, mine=mine)


@dataclass(frozen=True)
class RosterLine:
    answer: SharingRsvp
    position: int | None  # in the waitlist


def roster(session_id: int) -> list[RosterLine]:
    """Everyone going, walked in or waiting (in line order), for the host's attendance list."""
    answers = db.session.scalars(
        select(SharingRsvp)
        .options(joinedload(SharingRsvp.user))
        .where(
            SharingRsvp.session_id == session_id,
            SharingRsvp.status != RsvpStatus.CANCELLED,
        )
        .order_by(SharingRsvp.joined_at, SharingRsvp.id)
    ).all()
    order = {RsvpStatus.GOING: 0, RsvpStatus.WALK_IN: 1, RsvpStatus.WAITLISTED: 2}
    lines: list[RosterLine] = []
    position = 0
    for answer in sorted(answers, key=lambda a: order.get(a.status, 3)):
        if answer.status == RsvpStatus.WAITLISTED:
            position += 1
            lines.append(RosterLine(answer, position))
        else:
            lines.append(RosterLine(answer, None))
    return lines


def going_people(session_id: int, limit: int = 12) -> list[Any]:
    """The first people going (for the faces on the session page)."""
    return list(
        db.session.scalars(
            select(SharingRsvp)
            .options(joinedload(SharingRsvp.user))
            .where(SharingRsvp.session_id == session_id, SharingRsvp.status == RsvpStatus.GOING)
            .order_by(SharingRsvp.going_since, SharingRsvp.id)
            .limit(limit)
        )
    )
