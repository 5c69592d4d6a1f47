"""The mentor's reward: the mentee's first referral during the pairing that passes screening,
once per pairing, capped per mentor, never for a referral found void."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.mentoring import services
from community.mentoring.causes import describe
from community.mentoring.models import MentorReward
from community.pipeline import Stage
from community.pipeline.reasons import RejectReason
from community.points.models import PointEntry
from community.points.queries import balance
from community.referrals.services import advance_stage
from tests.factories import make_user
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import accept_referral, kinds, make_pairing
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def _mentoring_points(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
                PointEntry.user_id == user_id, PointEntry.idempotency_key.startswith("mentoring:")
            )
        )
    )


def _reject(referral, hr, code):  # noqa: ANN001, ANN202
    return advance_stage(
        referral, Stage.REJECTED, hr, reason_code=code, expected_from=referral.stage
    )


def test_the_first_screened_referral_rewards_the_mentor_once(cast: Cast) -> None:
    make_pairing(cast.mentor, cast.newcomer)
    first, second = make_referral(cast.newcomer), make_referral(cast.newcomer)
    assert _mentoring_points(cast.mentor.id) == 0  # submitting is not passing screening
    accept_referral(first, cast.hr)
    assert _mentoring_points(cast.mentor.id) == 50
    assert "mentoring_rewarded" in kinds(cast.mentor)
    walk(first, cast.hr, Stage.INTERVIEWING)  # a later stage earns nothing more
    accept_referral(second, cast.hr)
    assert _mentoring_points(cast.mentor.id) == 50
    entry = db.session.scalar(
        select(PointEntry).where(PointEntry.idempotency_key.startswith("mentoring:"))
    )
    assert "passed screening" in describe([entry])[entry.id].text


def test_a_referral_from_before_the_pairing_or_with_no_pairing_earns_nothing(cast: Cast) -> None:
    early = make_referral(cast.newcomer)
    accept_referral(make_referral(cast.other), cast.hr)  # someone who is nobody's mentee
    make_pairing(cast.mentor, cast.newcomer)
    accept_referral(early, cast.hr)
    assert _mentoring_points(cast.mentor.id) == 0


def test_a_referral_rejected_as_void_before_screening_never_earns(cast: Cast) -> None:
    make_pairing(cast.mentor, cast.newcomer)
    referral = make_referral(cast.newcomer)
    _reject(referral, cast.hr, RejectReason.DUPLICATE)
    assert _mentoring_points(cast.mentor.id) == 0


@pytest.mark.parametrize("code", [RejectReason.DUPLICATE, RejectReason.SELF_REFERRAL])
def test_a_reward_for_a_referral_found_void_is_reversed(cast: Cast, code) -> None:  # noqa: ANN001
    pairing = make_pairing(cast.mentor, cast.newcomer)
    void = accept_referral(make_referral(cast.newcomer), cast.hr)
    before = balance(cast.mentor.id)
    _reject(void, cast.hr, code)
    assert _mentoring_points(cast.mentor.id) == 0
    assert balance(cast.mentor.id) == before - 50
    assert "mentoring_reward_reversed" in kinds(cast.mentor)
    reversal = db.session.scalar(
        select(PointEntry).where(
            PointEntry.idempotency_key.endswith(":reversed"), PointEntry.amount == -50
        )
    )
    assert "taken back" in describe([reversal])[reversal.id].text
    # The pairing may earn it again from a good referral.
    accept_referral(make_referral(cast.newcomer), cast.hr)
    assert _mentoring_points(cast.mentor.id) == 50
    assert (
        db.session.scalar(
            select(func.count(MentorReward.id)).where(MentorReward.pairing_id == pairing.id)
        )
        == 2
    )


def test_another_rejection_keeps_the_reward(cast: Cast) -> None:
    make_pairing(cast.mentor, cast.newcomer)
    referral = accept_referral(make_referral(cast.newcomer), cast.hr)
    _reject(referral, cast.hr, RejectReason.SKILLS)
    assert _mentoring_points(cast.mentor.id) == 50


def test_rewards_are_capped_per_mentor_and_period(cast: Cast, app) -> None:  # noqa: ANN001
    app.config["MENTORING_REWARD_CAP"] = 2
    try:
        services.save_offer(cast.mentor, "简历", "", 3)
        mentees = [cast.newcomer, make_user(name="M2"), make_user(name="M3")]
        for mentee in mentees:
            make_pairing(cast.mentor, mentee)
        for mentee in mentees:
            accept_referral(make_referral(mentee), cast.hr)
        assert _mentoring_points(cast.mentor.id) == 100
    finally:
        app.config["MENTORING_REWARD_CAP"] = 3


def test_the_mentor_earns_nothing_for_their_own_referrals(cast: Cast) -> None:
    make_pairing(cast.mentor, cast.newcomer)
    accept_referral(make_referral(cast.mentor), cast.hr)
    assert _mentoring_points(cast.mentor.id) == 0
