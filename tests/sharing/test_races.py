"""Seats hold under concurrent answers on PostgreSQL: the session's row lock queues them, so
exactly `capacity` people get a seat and the rest wait in line; a cancellation racing new answers
gives its seat to the first person waiting, never to a newcomer."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from community.sharing import services
from community.sharing.models import RsvpStatus, SharingRsvp
from tests.factories import make_user
from tests.races import needs_postgresql, race
from tests.sharing.conftest import Cast, make_session


def _count(session_id: int, status: RsvpStatus) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SharingRsvp)
        .where(SharingRsvp.session_id == session_id, SharingRsvp.status == status)
    )


def test_eight_people_for_three_seats_at_once(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    session = make_session(cast.host, capacity=3)
    people = [make_user().id for _ in range(8)]

    def answer(user_id: int):  # noqa: ANN202
        def attempt() -> str:
            return services.rsvp(db.session.get(User, user_id), session.id).status.value

        return attempt

    outcomes = race(app, [answer(user_id) for user_id in people])
    assert sorted(outcomes) == ["going"] * 3 + ["waitlisted"] * 5
    assert _count(session.id, RsvpStatus.GOING) == 3
    assert _count(session.id, RsvpStatus.WAITLISTED) == 5


def test_a_cancellation_racing_new_answers_gives_one_seat(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)  # first in line
    newcomers = [make_user().id for _ in range(4)]

    def cancel() -> str:
        services.cancel_rsvp(db.session.get(User, cast.ann.id), session.id)
        return "cancelled"

    def answer(user_id: int):  # noqa: ANN202
        def attempt() -> str:
            return services.rsvp(db.session.get(User, user_id), session.id).status.value

        return attempt

    race(app, [cancel, *[answer(user_id) for user_id in newcomers]])
    assert _count(session.id, RsvpStatus.GOING) == 1
    going = db.session.scalars(
        select(SharingRsvp.user_id).where(
            SharingRsvp.session_id == session.id, SharingRsvp.status == RsvpStatus.GOING
        )
    ).one()
    # The seat goes to Bob, first in line, in the cancelling transaction: a newcomer who got the
    # lock before it found the session full, and one after it found Bob already seated.
    assert going == cast.bob.id
    assert _count(session.id, RsvpStatus.WAITLISTED) == 4
