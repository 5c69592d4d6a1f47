"""The mentoring clock: unanswered requests expire, a due goal reminds the pair once, a pairing
ends on its end date — computed from the clock, so a late worker catches up."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from community.core.time import local_today, utcnow
from community.extensions import db
from community.mentoring import pairings, services
from community.mentoring.duties import keep_time
from community.mentoring.models import Outcome, PairingStatus
from community.worker.duties import registered
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import kinds, make_pairing


def test_the_duty_is_registered() -> None:
    assert "mentoring.keep-time" in [duty.name for duty in registered()]


def test_an_unanswered_request_expires(cast: Cast) -> None:
    pairing = services.request_mentor(cast.newcomer, cast.mentor.id, "hi")
    assert keep_time(utcnow() + timedelta(days=13)) == 0
    assert keep_time(utcnow() + timedelta(days=15)) == 1
    db.session.refresh(pairing)
    assert pairing.status == PairingStatus.EXPIRED
    assert "mentoring_expired" in kinds(cast.newcomer)
    assert keep_time(utcnow() + timedelta(days=16)) == 0


def test_a_due_goal_reminds_the_pair_once_and_a_new_date_again(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    today = local_today()
    pairings.set_goal(
        cast.mentor, pairing.id, "A referral", today + timedelta(days=3), today + timedelta(days=30)
    )
    assert keep_time(utcnow() + timedelta(days=1)) == 0
    later = utcnow() + timedelta(days=4)
    assert keep_time(later) == 1
    assert keep_time(later) == 0
    assert kinds(cast.mentor).count("mentoring_goal_due") == 1
    assert kinds(cast.newcomer).count("mentoring_goal_due") == 1
    with time_machine.travel(later, tick=False):
        pairings.set_goal(
            cast.newcomer,
            pairing.id,
            "A referral",
            local_today() + timedelta(days=2),
            today + timedelta(days=30),
        )
    assert keep_time(later + timedelta(days=3)) == 1


def test_a_reached_goal_is_not_reminded(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    today = local_today()
    pairings.set_goal(
        cast.mentor, pairing.id, "A referral", today + timedelta(days=3), today + timedelta(days=30)
    )
    pairings.mark_goal_reached(cast.newcomer, pairing.id)
    assert keep_time(utcnow() + timedelta(days=5)) == 0


def test_a_pairing_ends_on_its_end_date_even_when_the_worker_was_down(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    today = local_today()
    pairings.set_goal(
        cast.mentor, pairing.id, "A referral", today + timedelta(days=3), today + timedelta(days=10)
    )
    pairings.mark_goal_reached(cast.newcomer, pairing.id)
    assert keep_time(utcnow() + timedelta(days=40)) == 1  # one late tick does it all
    db.session.refresh(pairing)
    assert pairing.status == PairingStatus.ENDED and pairing.outcome == Outcome.GOAL_REACHED
    assert pairing.ended_by_id is None
    assert "mentoring_ended" in kinds(cast.mentor) and "mentoring_ended" in kinds(cast.newcomer)
    assert keep_time(utcnow() + timedelta(days=41)) == 0
