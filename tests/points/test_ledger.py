"""The points ledger: stage awards exactly once, multipliers, manual adjustments, score/balance."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from community.accounts.models import Role, User
from community.extensions import db
from community.leaderboards.queries import shown_people
from community.points import queries
from community.points.models import PointEntry, PointKind
from community.points.services import PointsError, adjust_points, record_points
from community.program.models import DEFAULT_STAGE_POINTS
from community.program.services import save_rules
from community.referrals.models import Referral, Stage
from community.referrals.services import ReferralError, advance_stage
from tests.factories import make_job, make_user
from tests.pipeline import advance, walk_to
from tests.races import needs_postgresql, race
from tests.referrals.factories import make_referral


def entries_for(referral: Referral, stage: Stage | None = None) -> list[PointEntry]:
    query = select(PointEntry).where(PointEntry.referral_id == referral.id)
    if stage is not None:
        query = query.where(PointEntry.stage == stage)
    return list(db.session.scalars(query.order_by(PointEntry.id)))


def test_reaching_a_stage_awards_its_points_to_the_referrer(hr: User) -> None:
    referral = make_referral()
    advance(referral, Stage.INTERVIEWING, hr)

    submitted, entry = entries_for(referral)
    assert submitted.stage == Stage.SUBMITTED and submitted.amount == 10  # earned on acceptance
    assert entry.user_id == referral.referrer_id
    assert entry.amount == DEFAULT_STAGE_POINTS["interviewing"] == 30
    assert entry.kind == PointKind.EARNED
    assert entry.stage == Stage.INTERVIEWING
    assert entry.department_id == referral.referrer.department_id
    assert entry.idempotency_key == f"referral:{referral.id}:stage:interviewing"
    assert queries.score(referral.referrer) == 10 + 30


def test_submitting_alone_earns_nothing_until_hr_accepts(hr: User) -> None:
    referral = make_referral()
    assert entries_for(referral) == []
    advance(referral, Stage.SCREENING, hr)
    assert [(e.stage, e.amount) for e in entries_for(referral)] == [(Stage.SUBMITTED, 10)]
    refused = make_referral()
    advance_stage(refused, Stage.REJECTED, hr, reason="Not a fit")
    assert entries_for(refused) == []


def test_every_stage_up_to_probation_adds_up(hr: User) -> None:
    referral = walk_to(make_referral(), Stage.PROBATION_PASSED, hr)
    assert [e.stage for e in entries_for(referral)] == [
        Stage.SUBMITTED,
        Stage.INTERVIEWING,
        Stage.OFFER,
        Stage.HIRED,
        Stage.PROBATION_PASSED,
    ]
    assert queries.score(referral.referrer_id) == 10 + 30 + 50 + 100 + 150


def test_rejection_and_zero_point_stages_write_nothing(hr: User) -> None:
    referral = make_referral()
    advance(referral, Stage.SCREENING, hr)  # screening is worth 0 by default
    advance_stage(referral, Stage.REJECTED, hr, reason="Not enough Go experience")
    assert [e.stage for e in entries_for(referral)] == [Stage.SUBMITTED]


def test_hard_to_fill_job_multiplies_and_rounds_down(hr: User) -> None:
    points = dict(DEFAULT_STAGE_POINTS, interviewing=25)
    save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split={"hired": 30, "probation_passed": 70},
        stage_points=points,
        review_sla_days=3,
        hard_to_fill_multiplier_percent=133,
    )
    referral = make_referral(job=make_job(hard_to_fill=True))
    advance(referral, Stage.INTERVIEWING, hr)
    assert entries_for(referral, Stage.INTERVIEWING)[0].amount == 33  # 25 × 1.33 = 33.25


def test_default_multiplier_is_one_and_a_half(hr: User) -> None:
    referral = make_referral(job=make_job(hard_to_fill=True))
    advance(referral, Stage.INTERVIEWING, hr)
    assert entries_for(referral, Stage.INTERVIEWING)[0].amount == 45


def test_points_follow_the_rules_the_referral_was_submitted_under(hr: User) -> None:
    referral = make_referral()
    save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split={"hired": 30, "probation_passed": 70},
        stage_points=dict(DEFAULT_STAGE_POINTS, interviewing=999),
        review_sla_days=3,
    )
    advance(referral, Stage.INTERVIEWING, hr)
    assert entries_for(referral, Stage.INTERVIEWING)[0].amount == 30


def test_double_submit_awards_once(hr: User) -> None:
    referral = make_referral()
    advance_stage(referral, Stage.INTERVIEWING, hr, expected_from=Stage.SUBMITTED)
    with pytest.raises(ReferralError):
        advance_stage(referral, Stage.INTERVIEWING, hr, expected_from=Stage.SUBMITTED)
    # Even a direct second award of the same (referral, stage) returns the first entry.
    again = record_points(
        referral.referrer_id,
        30,
        PointKind.EARNED,
        idempotency_key=f"referral:{referral.id}:stage:interviewing",
    )
    db.session.commit()
    assert [e.id for e in entries_for(referral, Stage.INTERVIEWING)] == [again.id]
    assert len(entries_for(referral)) == 2  # submitted (on acceptance) + interviewing
    assert queries.score(referral.referrer_id) == 10 + 30


def test_concurrent_submits_award_once(app: Flask, hr: User) -> None:
    needs_postgresql()
    referral = make_referral()
    referral_id, hr_id = referral.id, hr.id
    db.session.commit()

    def submit() -> str:
        try:
            advance_stage(
                db.session.get(Referral, referral_id),
                Stage.INTERVIEWING,
                db.session.get(User, hr_id),
                expected_from=Stage.SUBMITTED,
            )
        except ReferralError:
            return "conflict"
        return "moved"

    outcomes = race(app, [submit] * 4)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "moved"]
    assert [e.stage for e in entries_for(referral)] == [Stage.SUBMITTED, Stage.INTERVIEWING]
    assert queries.score(referral.referrer_id) == 10 + 30


def test_hr_adjusts_points_with_a_reason(hr: User) -> None:
    employee = make_user()
    adjust_points(hr, employee, 50, "Spoke at the hiring fair")
    done = adjust_points(hr, employee, -20, "  Duplicate   referral counted twice ")
    entry = db.session.get(PointEntry, done.entry_id)
    assert done.recorded and entry is not None
    assert entry.kind == PointKind.ADJUSTMENT
    assert entry.actor_id == hr.id
    assert entry.reason == "Duplicate referral counted twice"
    assert queries.score(employee) == 30
    assert queries.history(employee)[0].reason == "Duplicate referral counted twice"


def test_an_adjustment_cannot_take_the_balance_below_zero(hr: User) -> None:
    """Issue 11 §5: the rule is "refuse", with the balance shown."""
    employee = make_user(name="Evan Employee")
    adjust_points(hr, employee, 30, "Hosted the meetup")
    with pytest.raises(PointsError) as refused:
        adjust_points(hr, employee, -31, "Counted twice")
    assert refused.value.status == 409
    assert "Evan Employee has 30 points to spend" in refused.value.message
    assert queries.balance(employee) == 30 and len(queries.history(employee)) == 1
    assert adjust_points(hr, employee, -30, "Counted twice").recorded
    assert queries.balance(employee) == 0


def test_the_same_form_sent_twice_records_once(hr: User) -> None:
    """Issue 11 §6: the form's key is kept unique by the ledger."""
    employee = make_user()
    first = adjust_points(hr, employee, 40, "Workshop", idempotency_key="a" * 32)
    again = adjust_points(hr, employee, 40, "Workshop", idempotency_key="a" * 32)
    assert first.recorded and not again.recorded and again.entry_id == first.entry_id
    assert queries.balance(employee) == 40


def test_simultaneous_removals_never_take_the_balance_below_zero(app, hr: User) -> None:
    needs_postgresql()
    employee = make_user()
    adjust_points(hr, employee, 100, "Start")
    hr_id, employee_id = hr.id, employee.id  # plain ids: the threads never touch this session

    def remove() -> str:
        try:
            adjust_points(db.session.get(User, hr_id), db.session.get(User, employee_id), -30, "x")
        except PointsError:
            return "refused"
        return "ok"

    outcomes = race(app, [remove] * 6)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 3
    assert queries.balance(employee_id) == 10


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_adjustment_without_reason_is_refused(hr: User, reason: str | None) -> None:
    employee = make_user()
    with pytest.raises(PointsError, match="Please give a reason"):
        adjust_points(hr, employee, 50, reason)
    assert queries.history(employee) == []


@pytest.mark.parametrize("amount", [0, 100_001, True])
def test_adjustment_amount_must_be_a_sensible_whole_number(hr: User, amount: int) -> None:
    with pytest.raises(PointsError):
        adjust_points(hr, make_user(), amount, "Bonus for the meetup talk")


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_adjusts_points(role: Role) -> None:
    employee = make_user()
    with pytest.raises(PointsError):
        adjust_points(make_user(role=role), employee, 50, "Because I say so")
    assert queries.balance(employee) == 0


def test_score_counts_earned_and_adjustments_balance_counts_everything(hr: User) -> None:
    referral = walk_to(make_referral(), Stage.OFFER, hr)  # 10 + 30 + 50 earned
    user = referral.referrer
    adjust_points(hr, user, 10, "Helped at the hiring fair")
    record_points(user, -40, PointKind.SPENT, idempotency_key="perk:1")
    record_points(user, 15, PointKind.REFUNDED, idempotency_key="perk:1:refund")
    db.session.commit()
    assert queries.score(user) == 100
    assert queries.balance(user) == 100 - 40 + 15
    assert [e.kind for e in queries.history(user)][:2] == [PointKind.REFUNDED, PointKind.SPENT]


def test_shown_names_prefer_the_display_name_and_skip_unknown_people() -> None:
    named, plain, blank = make_user(name="Li Lei"), make_user(name="Han Meimei"), make_user()
    named.display_name, blank.display_name = "Lei", ""
    db.session.commit()
    shown = shown_people([named.id, plain.id, blank.id, 999_999])
    assert {user_id: person.name for user_id, person in shown.items()} == {
        named.id: "Lei",
        plain.id: "Han Meimei",
        blank.id: blank.name,
    }
    assert shown_people([]) == {}
