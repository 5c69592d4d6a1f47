"""Who came: the check-in code (signed, expiring, voidable, only in the session's window, only
for people with a seat unless the host lets people walk in), the host's list, and the points an
attendance earns, capped per person and month."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from community.extensions import db
from community.points.models import PointEntry
from community.sharing import attendance, services
from community.sharing.models import RsvpStatus, SharingRsvp
from community.sharing.rules import SharingError
from tests.sharing.conftest import Cast, make_session


def ledger(user_id: int) -> list[tuple[str, int]]:
    return [
        (e.idempotency_key, e.amount)
        for e in db.session.scalars(
            select(PointEntry).where(PointEntry.user_id == user_id).order_by(PointEntry.id)
        )
    ]


def during(session, minutes: int = 5):  # noqa: ANN001, ANN201
    return time_machine.travel(session.starts_at + timedelta(minutes=minutes), tick=False)


def test_a_person_with_a_seat_checks_in_with_the_code_and_earns_points(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    token = attendance.check_in_token(session)
    with during(session):
        answer = attendance.check_in(cast.ann, session.id, token)
        attendance.check_in(cast.ann, session.id, token)  # twice: harmless
    assert answer.attended_at is not None and answer.points == 10
    assert ledger(cast.ann.id) == [(f"sharing:{session.id}:attended:{cast.ann.id}", 10)]


def test_check_in_only_in_the_window(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    token = attendance.check_in_token(session)
    early = time_machine.travel(session.starts_at - timedelta(minutes=31), tick=False)
    with early, pytest.raises(SharingError, match="opens 30 minutes before"):
        attendance.check_in(cast.ann, session.id, token)
    late = time_machine.travel(session.ends_at + timedelta(minutes=31), tick=False)
    with late, pytest.raises(SharingError, match="closed"):
        attendance.check_in(cast.ann, session.id, token)
    with time_machine.travel(session.starts_at - timedelta(minutes=29), tick=False):
        assert attendance.check_in(cast.ann, session.id, token).attended_at is not None


def test_forged_other_and_replaced_codes_are_refused(cast: Cast) -> None:
    session = make_session(cast.host)
    other = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    good = attendance.check_in_token(session)
    with during(session):
        for token in (good[:-2] + "xx", attendance.check_in_token(other), "not-a-token"):
            with pytest.raises(SharingError) as refused:
                attendance.check_in(cast.ann, session.id, token)
            assert refused.value.status == 404
        attendance.new_code(cast.host, session.id)
        with pytest.raises(SharingError, match="not valid"):
            attendance.check_in(cast.ann, session.id, good)
    assert db.session.get(SharingRsvp, services.rsvp(cast.ann, session.id).id).attended_at is None


def test_no_seat_no_check_in_unless_walk_ins_are_welcome(cast: Cast) -> None:
    closed = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, closed.id)
    services.rsvp(cast.bob, closed.id)  # waitlisted
    with during(closed):
        for person in (cast.bob, cast.cat):
            with pytest.raises(SharingError, match="no seat") as refused:
                attendance.check_in(person, closed.id, attendance.check_in_token(closed))
            assert refused.value.status == 403
    open_door = make_session(cast.host, capacity=1, allow_walk_ins=True)
    services.rsvp(cast.ann, open_door.id)
    services.rsvp(cast.bob, open_door.id)
    with during(open_door):
        bob = attendance.check_in(cast.bob, open_door.id, attendance.check_in_token(open_door))
        cat = attendance.check_in(cast.cat, open_door.id, attendance.check_in_token(open_door))
    assert bob.status == cat.status == RsvpStatus.WALK_IN
    assert bob.points == cat.points == 10


def test_the_host_ticks_and_unticks_and_the_ledger_follows(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    with during(session):
        attendance.mark(cast.host, session.id, cast.ann.id, True)
        attendance.mark(cast.host, session.id, cast.ann.id, False)
        attendance.mark(cast.host, session.id, cast.ann.id, True)
        attendance.mark(cast.host, session.id, cast.ann.id, True)  # again: nothing new
    key = f"sharing:{session.id}:attended:{cast.ann.id}"
    assert ledger(cast.ann.id) == [(key, 10), (f"{key}:undone:1", -10), (f"{key}:1", 10)]


def test_marking_is_for_the_host_and_hr_and_people_who_answered(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    with during(session):
        with pytest.raises(SharingError) as refused:
            attendance.mark(cast.bob, session.id, cast.ann.id, True)
        assert refused.value.status == 403
        with pytest.raises(SharingError) as refused:
            attendance.mark(cast.host, session.id, cast.dan.id, True)
        assert refused.value.status == 404
        assert attendance.mark(cast.hr, session.id, cast.ann.id, True).attended_at is not None


def test_no_marking_before_the_session(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    with pytest.raises(SharingError, match="about to start"):
        attendance.mark(cast.host, session.id, cast.ann.id, True)


def test_points_are_capped_per_person_and_month(app: Flask, cast: Cast, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(app.config, "SHARING_ATTENDANCE_POINTS", 10)
    monkeypatch.setitem(app.config, "SHARING_MONTHLY_POINTS_CAP", 25)
    first = make_session(cast.host, capacity=5)
    sessions = [first] + [
        make_session(cast.host, capacity=5, starts_at=first.starts_at + timedelta(hours=2 * i))
        for i in (1, 2, 3)
    ]
    # The month the sessions start in (company zone) is what counts.
    same_month = [s for s in sessions if attendance.month_of(s) == attendance.month_of(first)]
    for session in same_month:
        services.rsvp(cast.ann, session.id)
    for session in same_month:
        with during(session):
            attendance.mark(cast.host, session.id, cast.ann.id, True)
    amounts = [amount for _key, amount in ledger(cast.ann.id)]
    assert sum(amounts) == min(25, 10 * len(same_month))
    assert all(amount > 0 for amount in amounts)


def test_a_cancelled_session_takes_no_attendance(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    token = attendance.check_in_token(session)
    services.cancel_session(cast.host, session.id, "")
    with during(session), pytest.raises(SharingError, match="cancelled"):
        attendance.check_in(cast.ann, session.id, token)
