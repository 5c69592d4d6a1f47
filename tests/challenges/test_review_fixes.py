"""What a review found, kept fixed: the bonus after the final, approval after the start, the
daily cap by the day of referring, thanks only for the tiers that ask, quality thresholds,
tie-breaks across a reinstatement, huge numbers, the multiplier on a counting metric, and what a
manager host sees of reasons and private entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.accounts.models import User
from community.accounts.services import update_settings
from community.challenges import entries, lifecycle, services
from community.challenges.models import ChallengePrize, Metric, PeopleScope, PrizeKind
from community.challenges.rules import ChallengeError, PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.leaderboards import reads, verify
from community.pipeline import Stage
from community.points.models import PointEntry
from community.thanks.models import ThanksPost
from tests.challenges.factories import fields, make_challenge
from tests.challenges.hosting import hosting_company
from tests.challenges.test_fairness import bonus_total, reject_as_duplicate
from tests.factories import make_job, make_user
from tests.pipeline import advance, walk_to
from tests.referrals.factories import make_referral
from tests.security.conftest import login


def test_a_reversal_after_the_final_takes_the_bonus_back_too(hr: User) -> None:
    ann = make_user()
    challenge = make_challenge(hr, multiplier_percent=200)
    referral = make_referral(ann)
    advance(referral, Stage.SCREENING, hr)
    assert bonus_total(challenge.id, ann) > 0
    lifecycle.keep_time(challenge.settles_at)
    reject_as_duplicate(referral, hr)
    assert bonus_total(challenge.id, ann) == 0
    assert verify.verify() == []


def test_submitting_or_approving_after_the_start_is_refused(hr: User) -> None:
    co = hosting_company()
    start = utcnow() + timedelta(hours=1)
    challenge = make_challenge(
        co.host, people_scope=PeopleScope.TEAM, starts_at=start, ends_at=start + timedelta(days=3)
    )
    with time_machine.travel(start + timedelta(hours=1)):
        with pytest.raises(ChallengeError) as refused:
            services.approve_challenge(co.hr, challenge.id)
        assert (refused.value.status, refused.value.field) == (409, "starts_at")
    draft = make_challenge(hr, schedule=False, starts_at=start, ends_at=start + timedelta(days=3))
    with time_machine.travel(start + timedelta(hours=1)), pytest.raises(ChallengeError):
        services.submit_challenge(hr, draft.id)


def test_the_daily_cap_counts_the_day_of_referring_not_of_accepting(hr: User) -> None:
    ann = make_user()
    challenge = make_challenge(hr, ends_at=utcnow() + timedelta(days=10))
    referrals = []
    for day in range(4):
        with time_machine.travel(utcnow() + timedelta(days=day, hours=1)):
            referrals.append(make_referral(ann))
    with time_machine.travel(utcnow() + timedelta(days=5)):
        for referral in referrals:
            advance(referral, Stage.SCREENING, hr)
    found = reads.rank_and_neighbours(ann.id, challenge.scope, "all", around=0)
    assert found.me.points == 4 * 10  # type: ignore[union-attr]  # none capped


def test_the_thanks_post_names_only_the_winners_of_tiers_that_ask(hr: User) -> None:
    first, second = make_user(), make_user()
    challenge = make_challenge(
        hr,
        prizes=[
            PrizeFields(rank_from=1, points=100, thanks=True),
            PrizeFields(kind=PrizeKind.THRESHOLD, threshold=5, points=10),
        ],
    )
    walk_to(make_referral(first), Stage.INTERVIEWING, hr)
    advance(make_referral(second), Stage.SCREENING, hr)
    lifecycle.keep_time(challenge.settles_at)
    post = db.session.scalars(
        select(ThanksPost).where(ThanksPost.challenge_id == challenge.id)
    ).one()
    assert [w.user_id for w in post.winners] == [first.id]


def test_a_quality_threshold_is_typed_as_interviews_per_referral(client) -> None:  # noqa: ANN001
    co = hosting_company()
    start = utcnow() + timedelta(days=1)
    challenge = make_challenge(
        co.host,
        schedule=False,
        people_scope=PeopleScope.TEAM,
        metric=Metric.QUALITY,
        starts_at=start,
        ends_at=start + timedelta(days=7),
    )
    login(client, co.host)
    form = {"kind": "threshold", "threshold": "0.5", "points": "50"}
    assert client.post(f"/challenges/{challenge.id}/prizes", data=form).status_code in (200, 302)
    assert db.session.scalars(select(ChallengePrize.threshold)).one() == 500
    points = make_challenge(co.host, schedule=False, people_scope=PeopleScope.TEAM,
                            starts_at=start, ends_at=start + timedelta(days=7))  # fmt: skip
    response = client.post(f"/challenges/{points.id}/prizes", data=form)
    assert response.status_code == 422
    assert "The score to reach is a whole number." in response.text


def test_reinstating_keeps_who_got_there_first(hr: User) -> None:
    early, late = make_user(), make_user()
    challenge = make_challenge(hr, multiplier_percent=200)
    first, second = make_referral(early), make_referral(late)
    start = utcnow()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        advance(first, Stage.SCREENING, hr)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        advance(second, Stage.SCREENING, hr)
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        entries.set_disqualified(hr, challenge.id, early.id, True, reason="Check")
        entries.set_disqualified(hr, challenge.id, early.id, False)
    top = reads.top(challenge.scope, "all")
    assert [r.user_id for r in top] == [early.id, late.id]  # type: ignore[union-attr]
    assert verify.verify() == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"job_ids": [10**20]},
        {"people_scope": "departments", "department_ids": [10**20]},
        {"multiplier_percent": 200, "multiplier_job_ids": [10**20]},
        {"quality_min_referrals": 10**20},  # (points metric: not used, not stored)
    ],
)
def test_huge_numbers_are_refused_or_ignored_never_a_500(hr: User, overrides) -> None:  # noqa: ANN001
    try:
        challenge = services.create_challenge(hr, fields(**overrides))
    except ChallengeError as refused:
        assert refused.status == 422
    else:
        assert challenge.quality_min_referrals == 3


def test_huge_prize_numbers_are_refused(hr: User) -> None:
    challenge = make_challenge(hr, schedule=False)
    for prize in (
        PrizeFields(kind=PrizeKind.THRESHOLD, threshold=10**20, points=5),
        PrizeFields(rank_from=1, perk_id=10**20),
    ):
        with pytest.raises(ChallengeError):
            services.add_prize(hr, challenge.id, prize)


def test_the_multiplier_doubles_every_stage_on_a_counting_metric(hr: User) -> None:
    ann = make_user()
    hard = make_job(hard_to_fill=True)
    challenge = make_challenge(
        hr, metric=Metric.INTERVIEWS, multiplier_percent=200, multiplier_job_ids=[hard.id]
    )
    walk_to(make_referral(ann, job=hard), Stage.INTERVIEWING, hr)
    earned = db.session.scalar(
        select(func.sum(PointEntry.amount)).where(
            PointEntry.user_id == ann.id, PointEntry.idempotency_key.startswith("referral:")
        )
    )
    assert bonus_total(challenge.id, ann) == earned  # submission and interview, both doubled
    assert reads.rank_and_neighbours(ann.id, challenge.scope).me.points == 1  # type: ignore[union-attr]


def test_a_manager_host_sees_no_reasons_and_no_private_names(client, hr: User) -> None:  # noqa: ANN001
    co = hosting_company()
    challenge = make_challenge(co.hr)
    advance(make_referral(co.member), Stage.SCREENING, co.hr)
    update_settings(co.teammate, None, "en", True)
    advance(make_referral(co.teammate), Stage.SCREENING, co.hr)
    entries.set_disqualified(co.hr, challenge.id, co.member.id, True, reason="Secret reason")
    challenge.host_id = co.host.id  # (hosted by the manager, for this view)
    db.session.commit()
    login(client, co.host)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert "Secret reason" not in page
    assert "Teammate Tian" not in page and "Private entry" in page
    login(client, co.hr)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert "Secret reason" in page and "Teammate Tian" in page


def test_the_log_names_a_prize_by_what_it_was_even_once_removed(client, hr: User) -> None:  # noqa: ANN001
    from community.challenges import queries

    start = utcnow() + timedelta(days=1)
    challenge = make_challenge(hr, schedule=False, starts_at=start, ends_at=start + timedelta(7))
    first = services.add_prize(hr, challenge.id, PrizeFields(rank_from=1, points=100))
    services.remove_prize(hr, challenge.id, first.id)
    services.add_prize(hr, challenge.id, PrizeFields(rank_from=1, rank_to=3, points=50))
    db.session.refresh(challenge)
    lines = [line.text for line in queries.change_lines(challenge, hr, [])]
    assert lines[:3] == [
        "Hana HR added a prize: Top 3",
        "Hana HR removed a prize: 1st",
        "Hana HR added a prize: 1st",
    ]
