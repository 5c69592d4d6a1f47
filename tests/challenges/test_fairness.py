"""Fair and impossible to game: reversals take credit back (and the bonus on it), a final is
frozen, ties go to whoever got there first, HR disqualifies with a reason, cancelling takes the
bonus back, and nobody earns from their own action."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.accounts.models import User
from community.challenges import entries, lifecycle, services
from community.challenges.models import (
    ChallengeChange,
    ChallengeEntrant,
    ChallengeStatus,
    ChangeKind,
    Metric,
)
from community.challenges.rules import ChallengeError, PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.leaderboards import reads, rebuild, verify
from community.pipeline import Stage
from community.pipeline.reasons import RejectReason
from community.points import queries as points
from community.points.models import PointEntry
from community.referrals.services import advance_stage
from tests.challenges.factories import make_challenge
from tests.factories import make_job, make_user
from tests.pipeline import advance, walk_to
from tests.redis_server import RedisServer
from tests.referrals.factories import make_referral


def on_board(challenge_id: int, user: User) -> tuple[int, bool] | None:
    """(points, hidden) on the challenge's board, None when absent."""
    found = reads.rank_and_neighbours(user.id, f"challenge:{challenge_id}", "all", around=0)
    return None if found is None else (found.me.points, found.private)  # type: ignore[union-attr]


def bonus_total(challenge_id: int, user: User) -> int:
    key = PointEntry.idempotency_key.startswith(f"challenge:{challenge_id}:bonus:")
    total = db.session.scalar(
        select(func.sum(PointEntry.amount)).where(key, PointEntry.user_id == user.id)
    )
    return int(total or 0)


def reject_as_duplicate(referral, hr: User) -> None:  # noqa: ANN001
    advance_stage(
        referral,
        Stage.REJECTED,
        hr,
        expected_from=referral.stage,
        reason="Already in process through an agency",
        reason_code=RejectReason.DUPLICATE,
    )


def entrant(challenge_id: int, user: User) -> ChallengeEntrant:
    return db.session.scalars(
        select(ChallengeEntrant).where(
            ChallengeEntrant.challenge_id == challenge_id, ChallengeEntrant.user_id == user.id
        )
    ).one()


def test_a_duplicate_found_takes_back_the_credit_and_the_bonus(hr: User) -> None:
    referrer = make_user()
    hard = make_job(hard_to_fill=True)
    challenge = make_challenge(hr, multiplier_percent=300, multiplier_job_ids=[hard.id])
    referral = make_referral(referrer, job=hard)
    advance(referral, Stage.SCREENING, hr)
    assert bonus_total(challenge.id, referrer) > 0
    assert on_board(challenge.id, referrer)[0] > 0  # type: ignore[index]
    reject_as_duplicate(referral, hr)
    assert bonus_total(challenge.id, referrer) == 0
    assert on_board(challenge.id, referrer) == (0, False)
    assert points.balance(referrer.id) == 0
    assert verify.verify() == []


def test_counting_metrics_take_back_a_reversed_stage(hr: User) -> None:
    referrer = make_user()
    challenge = make_challenge(hr, metric=Metric.SCREENED)
    referral = make_referral(referrer)
    advance(referral, Stage.SCREENING, hr)
    assert on_board(challenge.id, referrer) == (1, False)
    reject_as_duplicate(referral, hr)
    assert on_board(challenge.id, referrer) == (0, False)


def test_a_reversal_after_the_final_is_recorded_but_moves_no_winner(hr: User) -> None:
    first, second = make_user(), make_user()
    challenge = make_challenge(
        hr, metric=Metric.SCREENED, prizes=[PrizeFields(rank_from=1, rank_to=1, points=300)]
    )
    mine = [make_referral(first) for _ in range(2)]
    for referral in mine:
        advance(referral, Stage.SCREENING, hr)
    advance(make_referral(second), Stage.SCREENING, hr)
    lifecycle.keep_time(challenge.settles_at + timedelta(seconds=1))
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    for referral in mine:
        reject_as_duplicate(referral, hr)
    winner = entrant(challenge.id, first)
    assert (winner.final_rank, winner.final_score, winner.score) == (1, 2, 0)
    assert entrant(challenge.id, second).final_rank == 2
    prize_key = f"challenge:{challenge.id}:prize:"
    prize_rows = db.session.scalars(
        select(PointEntry).where(PointEntry.idempotency_key.startswith(prize_key))
    ).all()
    assert [(e.user_id, e.amount) for e in prize_rows] == [(first.id, 300)]


def test_on_equal_scores_whoever_got_there_first_ranks_higher(hr: User) -> None:
    early, late = make_user(), make_user()
    challenge = make_challenge(hr, metric=Metric.SCREENED)
    first, second = make_referral(late), make_referral(early)
    start = utcnow()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        advance(second, Stage.SCREENING, hr)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        advance(first, Stage.SCREENING, hr)
    board = reads.top(f"challenge:{challenge.id}", "all")
    assert [r.user_id for r in board] == [early.id, late.id]  # type: ignore[union-attr]
    lifecycle.keep_time(challenge.settles_at)
    assert entrant(challenge.id, early).final_rank == 1


def test_hr_disqualifies_with_a_reason_and_can_reinstate_until_the_final(hr: User) -> None:
    cheat, honest = make_user(), make_user()
    hard = make_job(hard_to_fill=True)
    challenge = make_challenge(
        hr,
        multiplier_percent=200,
        multiplier_job_ids=[hard.id],
        prizes=[PrizeFields(rank_from=1, rank_to=1, points=100)],
    )
    advance(make_referral(cheat, job=hard), Stage.SCREENING, hr)
    advance(make_referral(honest), Stage.SCREENING, hr)
    held = bonus_total(challenge.id, cheat)
    assert held > 0
    with pytest.raises(ChallengeError):
        entries.set_disqualified(hr, challenge.id, cheat.id, True, reason="  ")
    entries.set_disqualified(hr, challenge.id, cheat.id, True, reason="Referred friends in bulk")
    assert bonus_total(challenge.id, cheat) == 0
    points_now, hidden = on_board(challenge.id, cheat)  # type: ignore[misc]
    assert hidden
    assert [r.user_id for r in reads.top(challenge.scope, "all")] == [honest.id]  # type: ignore[union-attr]
    entries.set_disqualified(hr, challenge.id, cheat.id, False)
    assert bonus_total(challenge.id, cheat) == held
    assert on_board(challenge.id, cheat)[1] is False  # type: ignore[index]
    entries.set_disqualified(hr, challenge.id, cheat.id, True, reason="Confirmed")
    lifecycle.keep_time(challenge.settles_at)
    assert entrant(challenge.id, cheat).final_rank is None
    assert entrant(challenge.id, honest).final_rank == 1
    with pytest.raises(ChallengeError):
        entries.set_disqualified(hr, challenge.id, cheat.id, False)
    kinds = db.session.scalars(
        select(ChallengeChange.kind).where(ChallengeChange.challenge_id == challenge.id)
    ).all()
    assert kinds.count(ChangeKind.DISQUALIFIED) == 2 and ChangeKind.REINSTATED in kinds
    assert verify.verify() == []


def test_a_cancelled_challenge_takes_its_bonus_back_and_counts_no_more(hr: User) -> None:
    referrer = make_user()
    challenge = make_challenge(hr, multiplier_percent=200)
    advance(make_referral(referrer), Stage.SCREENING, hr)
    assert bonus_total(challenge.id, referrer) > 0
    with pytest.raises(ChallengeError):
        services.cancel_challenge(hr, challenge.id, "")
    services.cancel_challenge(hr, challenge.id, "The hiring freeze came early")
    assert bonus_total(challenge.id, referrer) == 0
    before = on_board(challenge.id, referrer)
    advance(make_referral(referrer), Stage.SCREENING, hr)
    assert on_board(challenge.id, referrer) == before
    assert lifecycle.keep_time(challenge.settles_at) == 0


def test_hr_who_refer_never_compete(hr: User) -> None:
    challenge = make_challenge(hr)
    colleague = make_user(role=hr.role)
    advance(make_referral(colleague), Stage.SCREENING, hr)  # (nobody decides on their own)
    assert on_board(challenge.id, colleague) is None
    assert points.balance(colleague.id) > 0  # the ledger still has their points


def test_quality_ranks_interviews_per_referral_from_a_minimum(hr: User) -> None:
    careful, busy = make_user(), make_user()
    challenge = make_challenge(hr, metric=Metric.QUALITY, quality_min_referrals=2)
    for _ in range(2):
        walk_to(make_referral(careful), Stage.INTERVIEWING, hr)
    assert on_board(challenge.id, careful) == (1000, False)
    referrals = [make_referral(busy) for _ in range(3)]
    walk_to(referrals[0], Stage.INTERVIEWING, hr)
    assert on_board(challenge.id, busy) is None  # one referral: below the minimum, no score
    advance(referrals[1], Stage.SCREENING, hr)
    assert on_board(challenge.id, busy) == (500, False)
    advance(referrals[2], Stage.SCREENING, hr)
    assert on_board(challenge.id, busy) == (333, False)
    assert entrant(challenge.id, busy).score == 333
    assert verify.verify() == []


def test_killing_redis_mid_challenge_loses_nothing(hr: User, own_redis: RedisServer) -> None:
    referrer = make_user()
    rebuild.rebuild()
    challenge = make_challenge(hr, multiplier_percent=200)
    advance(make_referral(referrer), Stage.SCREENING, hr)
    own_redis.stop()
    walk_to(make_referral(referrer), Stage.INTERVIEWING, hr)  # Redis down: stays pending
    own_redis.start()
    rebuild.rebuild()
    expected = points.balance(referrer.id)
    assert on_board(challenge.id, referrer) == (expected, False)
    assert verify.verify() == []


def test_a_disqualified_person_stays_aside_whatever_their_visibility_does(hr: User) -> None:
    from community.accounts.services import update_settings

    cheat, shy = make_user(), make_user()
    challenge = make_challenge(hr)
    advance(make_referral(cheat), Stage.SCREENING, hr)
    update_settings(shy, None, "en", True)  # opted out of public boards before earning
    advance(make_referral(shy), Stage.SCREENING, hr)
    entries.set_disqualified(hr, challenge.id, cheat.id, True, reason="Bulk referrals")
    update_settings(cheat, None, "en", True)
    update_settings(cheat, None, "en", False)  # shown again on the company board …
    assert on_board(challenge.id, cheat)[1] is True  # type: ignore[index]  # … not here
    entries.set_disqualified(hr, challenge.id, shy.id, True, reason="Checked")
    entries.set_disqualified(hr, challenge.id, shy.id, False)
    assert on_board(challenge.id, shy)[1] is True  # type: ignore[index]  # still opted out
    entries.set_disqualified(hr, challenge.id, cheat.id, False)
    assert on_board(challenge.id, cheat)[1] is False  # type: ignore[index]
    assert verify.verify() == []
