"""Answering a session: seats while there are some, then a first-come waitlist that moves by
itself when someone cancels or the host adds seats, in the same transaction, telling the person
who got the seat."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.sharing import services
from community.sharing.models import RsvpStatus, SharingRsvp
from community.sharing.rules import SharingError
from tests.sharing.conftest import Cast, fields, make_session


def statuses(session_id: int) -> dict[int, RsvpStatus]:
    return {
        a.user_id: a.status
        for a in db.session.scalars(select(SharingRsvp).where(SharingRsvp.session_id == session_id))
    }


def notices_of(user_id: int, kind: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.kind == kind)
    )


def test_seats_then_a_waitlist_in_order_of_answers(cast: Cast) -> None:
    session = make_session(cast.host, capacity=2)
    assert services.rsvp(cast.ann, session.id).status == RsvpStatus.GOING
    assert services.rsvp(cast.bob, session.id).status == RsvpStatus.GOING
    third = services.rsvp(cast.cat, session.id)
    fourth = services.rsvp(cast.dan, session.id)
    assert third.status == fourth.status == RsvpStatus.WAITLISTED
    assert services.waitlist_position(third) == 1
    assert services.waitlist_position(fourth) == 2


def test_answering_twice_keeps_the_seat(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    first = services.rsvp(cast.ann, session.id)
    again = services.rsvp(cast.ann, session.id)
    assert first.id == again.id and again.status == RsvpStatus.GOING
    assert db.session.scalar(select(func.count()).select_from(SharingRsvp)) == 1


def test_a_cancellation_gives_the_seat_to_the_first_in_line_and_tells_them(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    services.rsvp(cast.cat, session.id)
    services.cancel_rsvp(cast.ann, session.id)
    assert statuses(session.id) == {
        cast.ann.id: RsvpStatus.CANCELLED,
        cast.bob.id: RsvpStatus.GOING,
        cast.cat.id: RsvpStatus.WAITLISTED,
    }
    assert notices_of(cast.bob.id, "sharing_seat_given") == 1
    assert notices_of(cast.cat.id, "sharing_seat_given") == 0


def test_leaving_the_waitlist_frees_no_seat(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    services.rsvp(cast.cat, session.id)
    services.cancel_rsvp(cast.bob, session.id)
    assert statuses(session.id)[cast.cat.id] == RsvpStatus.WAITLISTED
    assert notices_of(cast.cat.id, "sharing_seat_given") == 0


def test_answering_again_after_cancelling_goes_to_the_back_of_the_line(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    services.cancel_rsvp(cast.bob, session.id)
    services.rsvp(cast.cat, session.id)
    again = services.rsvp(cast.bob, session.id)
    assert services.waitlist_position(again) == 2


def test_a_capacity_raise_promotes_as_many_as_it_adds(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    for person in (cast.ann, cast.bob, cast.cat, cast.dan):
        services.rsvp(person, session.id)
    services.update_session(cast.host, session.id, fields(starts_at=session.starts_at, capacity=3))
    found = statuses(session.id)
    assert [found[p.id] for p in (cast.bob, cast.cat, cast.dan)] == [
        RsvpStatus.GOING,
        RsvpStatus.GOING,
        RsvpStatus.WAITLISTED,
    ]
    assert notices_of(cast.cat.id, "sharing_seat_given") == 1


def test_capacity_below_the_people_going_is_refused_and_nothing_changes(cast: Cast) -> None:
    session = make_session(cast.host, capacity=2)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    with pytest.raises(SharingError) as refused:
        services.update_session(
            cast.host, session.id, fields(starts_at=session.starts_at, capacity=1, title="新")
        )
    assert refused.value.field == "capacity"
    assert "2 people are going" in refused.value.message
    db.session.refresh(session)
    assert session.capacity == 2 and session.title == "面试技巧分享"


def test_no_answer_or_cancel_after_the_start(cast: Cast) -> None:
    session = make_session(cast.host, capacity=5)
    services.rsvp(cast.ann, session.id)
    with time_machine.travel(session.starts_at + timedelta(minutes=1), tick=False):
        with pytest.raises(SharingError, match="answers closed"):
            services.rsvp(cast.bob, session.id)
        with pytest.raises(SharingError, match="too late to cancel"):
            services.cancel_rsvp(cast.ann, session.id)
    assert statuses(session.id) == {cast.ann.id: RsvpStatus.GOING}


def test_no_answer_to_a_cancelled_session(cast: Cast) -> None:
    session = make_session(cast.host)
    services.cancel_session(cast.host, session.id, "Speaker ill")
    with pytest.raises(SharingError, match="cancelled"):
        services.rsvp(cast.ann, session.id)


def test_the_host_needs_no_seat(cast: Cast) -> None:
    session = make_session(cast.host)
    with pytest.raises(SharingError, match="host"):
        services.rsvp(cast.host, session.id)


def test_a_forged_session_id_is_not_found(cast: Cast) -> None:
    with pytest.raises(SharingError) as refused:
        services.rsvp(cast.ann, 987654)
    assert refused.value.status == 404


def test_cancelling_a_session_tells_everyone_going_or_waiting(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    services.rsvp(cast.cat, session.id)
    services.cancel_rsvp(cast.cat, session.id)
    services.cancel_session(cast.host, session.id, "Speaker ill")
    assert notices_of(cast.ann.id, "sharing_cancelled") == 1
    assert notices_of(cast.bob.id, "sharing_cancelled") == 1
    assert notices_of(cast.cat.id, "sharing_cancelled") == 0
    notice = db.session.scalars(
        select(Notification).where(Notification.user_id == cast.ann.id)
    ).first()
    assert notice.params["reason"] == "Speaker ill"


def test_moving_a_session_tells_people_and_starts_the_reminders_over(cast: Cast) -> None:
    session = make_session(cast.host, capacity=3)
    answer = services.rsvp(cast.ann, session.id)
    answer.reminded_24h_at = utcnow()
    db.session.commit()
    later = session.starts_at + timedelta(days=1)
    services.update_session(cast.host, session.id, fields(starts_at=later, capacity=3))
    db.session.refresh(answer)
    assert answer.reminded_24h_at is None
    assert notices_of(cast.ann.id, "sharing_changed") == 1
    db.session.refresh(session)
    assert session.sequence == 1


def test_saving_the_form_unchanged_moves_nothing(cast: Cast) -> None:
    start = utcnow().replace(second=42, microsecond=0) + timedelta(days=2)
    session = make_session(cast.host, starts_at=start, capacity=3)
    services.rsvp(cast.ann, session.id)
    shown = start.replace(second=0)  # what the form shows and sends back
    services.update_session(
        cast.host,
        session.id,
        fields(starts_at=shown, capacity=3, ends_at=(start + timedelta(hours=1)).replace(second=0)),
    )
    db.session.refresh(session)
    assert session.starts_at == start and session.sequence == 0
    assert notices_of(cast.ann.id, "sharing_changed") == 0
