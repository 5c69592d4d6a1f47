"""Who came: the check-in code people scan in the room, the host's list, and the points an
attendance earns.

The code (a QR code the host shows) encodes a signed check-in URL: the session's id, its current
`check_in_key` and an expiry, signed with SECRET_KEY. A signed-in person who opens it confirms
"I'm here" during the session's window (from CHECK_IN_MARGIN before the start to as long after
the end) if they answered the session, or if the host lets people walk in. The host can also
tick (and untick) people on the list, from the start onwards. Making a new code voids the old.

An attendance earns SHARING_ATTENDANCE_POINTS, capped at SHARING_MONTHLY_POINTS_CAP per person
for all sessions that start in one month of the company's zone (the person's user row is locked
while the month is counted, so two check-ins at once cannot both pass the cap). The first award
has the idempotency key `sharing:<session>:attended:<user>`; an untick takes the points back
with a reversal, and a new tick after it awards again under a numbered key, so each write on the
ledger happens once whatever is retried.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.time import to_local, utcnow
from community.core.transaction import committed
from community.extensions import db
from community.points.models import PointEntry, PointKind
from community.points.services import record_points
from community.sharing.models import (
    RsvpStatus,
    SharingRsvp,
    SharingSession,
    new_check_in_key,
)
from community.sharing.rules import SharingError
from community.sharing.services import locked, require_manager, require_open

PRESENT = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.WALK_IN)


def margin() -> timedelta:
    return timedelta(minutes=int(current_app.config["SHARING_CHECK_IN_MARGIN_MINUTES"]))


def window(session: SharingSession) -> tuple[datetime, datetime]:
    """When people may check themselves in (naive UTC)."""
    return session.starts_at - margin(), session.ends_at + margin()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sharing-check-in")


def check_in_token(session: SharingSession) -> str:
    """The signed part of the session's check-in URL: valid until its window closes, and until
    the host makes a new code."""
    closes = window(session)[1].replace(tzinfo=UTC)
    return str(
        _serializer().dumps(
            {"s": session.id, "k": session.check_in_key, "e": int(closes.timestamp())}
        )
    )


def _invalid() -> SharingError:
    return SharingError(
        _("This check-in code is not valid. Scan the code shown in the room again."),
        status=NOT_FOUND,
    )


def read_token(session: SharingSession, token: str) -> None:
    """Refuse a token that is forged, of another session, replaced, or past its expiry."""
    try:
        payload: Any = _serializer().loads(token)
    except BadSignature:
        raise _invalid() from None
    if not isinstance(payload, dict) or payload.get("s") != session.id:
        raise _invalid()
    if payload.get("k") != session.check_in_key:
        raise _invalid()
    expires = payload.get("e")
    if not isinstance(expires, int) or utcnow().replace(tzinfo=UTC).timestamp() > expires:
        raise SharingError(_("Check-in for this session has closed."), status=CONFLICT)


def new_code(actor: User, session_id: int) -> SharingSession:
    """Void the check-in code (one that was passed around) by making a new one."""
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        session.check_in_key = new_check_in_key()
    return session


def _answer(session_id: int, user_id: int) -> SharingRsvp | None:
    return db.session.scalars(
        select(SharingRsvp).where(
            SharingRsvp.session_id == session_id, SharingRsvp.user_id == user_id
        )
    ).first()


def check_in(user: User, session_id: int, token: str) -> SharingRsvp:
    """The person marks themself present with the room's code (see the module notes). Checking
    in twice is harmless."""
    with committed():
        session = locked(session_id)
        read_token(session, token)
        require_open(session)
        now = utcnow()
        opens, closes = window(session)
        if now < opens:
            raise SharingError(
                _(
                    "Check-in opens %(minutes)d minutes before the start.",
                    minutes=int(margin().total_seconds() // 60),
                ),
                status=CONFLICT,
            )
        if now > closes:
            raise SharingError(_("Check-in for this session has closed."), status=CONFLICT)
        if session.host_id == user.id:
            raise SharingError(_("You host this session: no need to check in."), status=CONFLICT)
        answer = _answer(session.id, user.id)
        if answer is not None and answer.attended_at is not None:
            return answer
        answered = answer is not None and answer.status == RsvpStatus.GOING
        if not answered and not session.allow_walk_ins:
            raise SharingError(
                _("You have no seat at this session. Ask the host to tick you on their list."),
                status=FORBIDDEN,
            )
        if answer is None:
            answer = SharingRsvp(session_id=session.id, user_id=user.id, joined_at=now)
            db.session.add(answer)
        if answer.status != RsvpStatus.GOING:
            answer.status = RsvpStatus.WALK_IN
        _mark(answer, session, user, now)
    return answer


def mark(actor: User, session_id: int, user_id: int, present: bool) -> SharingRsvp:
    """The host (or HR) ticks or unticks a person who answered the session, from the start of its
    check-in window on."""
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        require_open(session)
        now = utcnow()
        if now < window(session)[0]:
            raise SharingError(
                _("Attendance can be taken once the session is about to start."), status=CONFLICT
            )
        answer = _answer(session.id, user_id)
        if answer is None or answer.status not in PRESENT:
            raise SharingError(_("This person did not answer this session."), status=NOT_FOUND)
        if present and answer.attended_at is None:
            _mark(answer, session, actor, now)
        elif not present and answer.attended_at is not None:
            answer.attended_at = None
            answer.attendance_marked_by_id = actor.id
            _take_back(answer, session, actor, now)
    return answer


def _mark(answer: SharingRsvp, session: SharingSession, by: User, now: datetime) -> None:
    answer.attended_at = now
    answer.attendance_marked_by_id = by.id
    db.session.flush()
    _award(answer, session, now)


def month_of(session: SharingSession) -> tuple[datetime, datetime]:
    """The month (company zone) the session starts in, as a naive-UTC [start, end)."""
    local = to_local(session.starts_at)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    days = monthrange(first.year, first.month)[1]
    following = first + timedelta(days=days)  # wall-clock arithmetic in the zone
    return (
        first.astimezone(UTC).replace(tzinfo=None),
        following.astimezone(UTC).replace(tzinfo=None),
    )


def earned_in_month(user_id: int, session: SharingSession) -> int:
    start, end = month_of(session)
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(SharingRsvp.points), 0))
            .join(SharingSession, SharingSession.id == SharingRsvp.session_id)
            .where(
                SharingRsvp.user_id == user_id,
                SharingSession.starts_at >= start,
                SharingSession.starts_at < end,
            )
        )
        or 0
    )


def _key(answer: SharingRsvp) -> str:
    base = f"sharing:{answer.session_id}:attended:{answer.user_id}"
    return base if answer.awards == 0 else f"{base}:{answer.awards}"


def _award(answer: SharingRsvp, session: SharingSession, now: datetime) -> None:
    """Attendance points within the month's cap (none once it is reached)."""
    points = int(current_app.config["SHARING_ATTENDANCE_POINTS"])
    cap = int(current_app.config["SHARING_MONTHLY_POINTS_CAP"])
    if points <= 0 or answer.points:
        return
    # The person's row lock serialises their awards, so the month's sum below stays true.
    db.session.scalars(select(User.id).where(User.id == answer.user_id).with_for_update()).first()
    amount = min(points, cap - earned_in_month(answer.user_id, session))
    if amount <= 0:
        return
    record_points(
        answer.user_id,
        amount,
        PointKind.EARNED,
        idempotency_key=_key(answer),
        reason=f"sharing:{session.id}",
        at=now,
    )
    answer.points = amount
    answer.awards += 1


def _take_back(answer: SharingRsvp, session: SharingSession, actor: User, now: datetime) -> None:
    if not answer.points:
        return
    awarded = db.session.scalars(
        select(PointEntry).where(
            PointEntry.idempotency_key
            == (
                f"sharing:{answer.session_id}:attended:{answer.user_id}"
                if answer.awards == 1
                else f"sharing:{answer.session_id}:attended:{answer.user_id}:{answer.awards - 1}"
            )
        )
    ).first()
    record_points(
        answer.user_id,
        -answer.points,
        PointKind.EARNED,
        idempotency_key=f"sharing:{answer.session_id}:attended:{answer.user_id}:undone:{answer.awards}",
        actor=actor,
        reason=f"sharing:{session.id}",
        at=now,
        reverses=awarded,
    )
    answer.points = 0
