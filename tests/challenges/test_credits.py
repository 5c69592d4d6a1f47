"""What referral events earn in a challenge: credit on its board in the same request, the
multiplier as ledger entries, caps, and nothing for people out of scope or their own actions."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from community.accounts.models import Role
from community.challenges import lifecycle
from community.challenges.models import ChallengeEntrant, ChallengeStatus, Metric, PeopleScope
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.leaderboards import reads, verify
from community.pipeline import Stage
from community.points import queries as points
from community.points.models import PointEntry
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_job, make_user
from tests.pipeline import advance, walk_to
from tests.referrals.factories import make_referral


def board_points(challenge_id: int, user_id: int) -> int | None:
    found = reads.rank_and_neighbours(user_id, f"challenge:{challenge_id}", "all", around=0)
    return None if found is None else found.me.points  # type: ignore[union-attr]


def test_a_stage_is_on_the_challenge_board_in_the_same_request() -> None:
    hr = make_user(role=Role.HR)
    referrer = make_user()
    challenge = make_challenge(hr)
    referral = make_referral(referrer)
    advance(referral, Stage.SCREENING, hr)
    earned = points.balance(referrer.id)
    assert earned > 0
    assert board_points(challenge.id, referrer.id) == earned
    assert verify.verify() == []


def test_counting_metrics_count_the_stage_once() -> None:
    hr = make_user(role=Role.HR)
    referrer = make_user()
    challenge = make_challenge(hr, metric=Metric.INTERVIEWS)
    for _ in range(2):
        walk_to(make_referral(referrer), Stage.INTERVIEWING, hr)
    make_referral(referrer)
    assert board_points(challenge.id, referrer.id) == 2


def test_a_referral_submitted_before_the_window_does_not_count() -> None:
    hr = make_user(role=Role.HR)
    referrer = make_user()
    early = make_referral(referrer)
    with time_machine.travel(utcnow() + timedelta(minutes=1)):
        challenge = make_challenge(hr)
        advance(early, Stage.SCREENING, hr)
    assert board_points(challenge.id, referrer.id) is None


def test_people_outside_the_scope_and_hr_never_compete() -> None:
    hr = make_user(role=Role.HR)
    inside, outside = make_department(), make_department()
    challenge = make_challenge(hr, people_scope=PeopleScope.DEPARTMENTS, department_ids=[inside.id])
    member, stranger = make_user(department=inside), make_user(department=outside)
    hr_referrer = make_user(role=Role.HR, department=inside)
    for person in (member, stranger, hr_referrer):
        advance(make_referral(person), Stage.SCREENING, hr)
    assert board_points(challenge.id, member.id)
    assert board_points(challenge.id, stranger.id) is None
    assert board_points(challenge.id, hr_referrer.id) is None


def test_the_multiplier_is_a_ledger_entry_capped_per_person(app, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(app.config, "CHALLENGE_BONUS_CAP", 15)  # undone after the test
    hr = make_user(role=Role.HR)
    referrer = make_user()
    hard = make_job(hard_to_fill=True)
    challenge = make_challenge(hr, multiplier_percent=200, multiplier_job_ids=[hard.id])
    plain = make_referral(referrer)
    advance(plain, Stage.SCREENING, hr)
    before = points.balance(referrer.id)
    referral = make_referral(referrer, job=hard)
    advance(referral, Stage.SCREENING, hr)
    bonus = db.session.scalars(
        select(PointEntry).where(
            PointEntry.idempotency_key.startswith(f"challenge:{challenge.id}:")
        )
    ).all()
    assert sum(e.amount for e in bonus) == 15  # capped
    assert all(e.reason == f"challenge:{challenge.id}" for e in bonus)
    assert points.balance(referrer.id) > before
    assert board_points(challenge.id, referrer.id) == points.balance(referrer.id)
    assert verify.verify() == []


def test_submissions_count_at_most_the_daily_cap(app, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(app.config, "CHALLENGE_DAILY_SUBMISSIONS", 1)
    hr = make_user(role=Role.HR)
    referrer = make_user()
    challenge = make_challenge(hr)
    first, second = make_referral(referrer), make_referral(referrer)
    advance(first, Stage.SCREENING, hr)
    one = board_points(challenge.id, referrer.id)
    advance(second, Stage.SCREENING, hr)
    two = board_points(challenge.id, referrer.id)
    submitted = PointEntry.stage == Stage.SUBMITTED
    submit_points = db.session.scalar(select(func.max(PointEntry.amount)).where(submitted))
    assert two - one == one - submit_points  # the second's submission points did not count


def test_the_clock_moves_a_challenge_and_the_final_pays_once() -> None:
    hr = make_user(role=Role.HR)
    first, second = make_user(), make_user()
    challenge = make_challenge(
        hr,
        settlement_days=3,
        prizes=[PrizeFields(rank_from=1, rank_to=1, points=500)],
    )
    walk_to(make_referral(first), Stage.INTERVIEWING, hr)
    advance(make_referral(second), Stage.SCREENING, hr)
    assert lifecycle.keep_time(utcnow()) == 1
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.LIVE
    later = challenge.settles_at + timedelta(minutes=1)
    assert lifecycle.keep_time(later) == 2  # ended, then final
    assert lifecycle.keep_time(later) == 0
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    ranks = dict(
        db.session.execute(
            select(ChallengeEntrant.user_id, ChallengeEntrant.final_rank).where(
                ChallengeEntrant.challenge_id == challenge.id
            )
        ).all()
    )
    assert ranks == {first.id: 1, second.id: 2}
    prize = db.session.scalars(
        select(PointEntry).where(PointEntry.idempotency_key.contains(":prize:"))
    ).all()
    assert [(e.user_id, e.amount) for e in prize] == [(first.id, 500)]
    assert verify.verify() == []
