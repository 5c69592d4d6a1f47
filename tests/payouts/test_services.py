"""Section 1: payouts appear when a referral reaches a paying stage, with exact amounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.core.time import local_today, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.jobs.services import JobFields, update_job
from community.notifications.models import Notification
from community.notifications.queries import message_for, shown
from community.payouts import services
from community.payouts.models import CancelCause, Payout, PayoutStatus
from community.referrals import services as referral_services
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.payouts.factories import TO_HIRED, rules_with_split
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def payouts_of(referral) -> list[Payout]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Payout).where(Payout.referral_id == referral.id).order_by(Payout.id)
        )
    )


def kinds_for(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id)
        )
    )


def test_default_split_pays_30_at_hire_and_70_after_probation(hr):
    referral = make_referral(job=make_job(bonus_minor=800000))
    walk(referral, hr, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
    assert payouts_of(referral) == []
    walk(referral, hr, Stage.HIRED)
    [hired] = payouts_of(referral)
    assert (hired.stage, hired.amount_minor, hired.currency, hired.share_percent) == (
        Stage.HIRED,
        240000,
        "CNY",
        30,
    )
    assert hired.status == PayoutStatus.PENDING and hired.referrer_id == referral.referrer_id
    walk(referral, hr, Stage.PROBATION_PASSED)
    assert [(p.stage, p.amount_minor) for p in payouts_of(referral)] == [
        (Stage.HIRED, 240000),
        (Stage.PROBATION_PASSED, 560000),
    ]


def test_awkward_split_of_an_odd_amount_adds_up_exactly_with_the_remainder_last(hr):
    rules_with_split(hr, {"offer": 33, "hired": 33, "probation_passed": 34})
    referral = make_referral(job=make_job(bonus_minor=10001))
    walk(referral, hr, *TO_HIRED, Stage.PROBATION_PASSED)
    amounts = [(p.stage, p.amount_minor, p.share_percent) for p in payouts_of(referral)]
    # 33% of 10001 = 3300.33 → 3300 (down), twice; the last stage takes the remainder 3401.
    assert amounts == [
        (Stage.OFFER, 3300, 33),
        (Stage.HIRED, 3300, 33),
        (Stage.PROBATION_PASSED, 3401, 34),
    ]
    assert sum(a for _, a, _ in amounts) == 10001


def test_zero_share_and_zero_bonus_create_nothing(hr):
    rules_with_split(hr, {"hired": 100, "probation_passed": 0})
    referral = make_referral()
    walk(referral, hr, *TO_HIRED, Stage.PROBATION_PASSED)
    assert [p.stage for p in payouts_of(referral)] == [Stage.HIRED]
    unpaid = make_referral(job=make_job(bonus_minor=0))
    walk(unpaid, hr, *TO_HIRED)
    assert payouts_of(unpaid) == []


def test_bonus_and_split_are_locked_in_at_submission(hr):
    job = make_job(bonus_minor=800000)
    referral = make_referral(job=job)
    # HR raises the bonus (through the jobs service) and changes the split after submission.
    fields = JobFields(
        title=job.title,
        department_id=job.department_id,
        location=job.location,
        family=job.family,
        description=job.description,
        competencies=job.competencies,
        education=job.education,
        min_years=job.min_years,
        skills=job.skills,
        soft_traits=job.soft_traits,
        bonus_amount="20000",
        bonus_currency="CNY",
    )
    update_job(hr, job, fields)
    assert db.session.get(Job, job.id).bonus_minor == 2000000
    rules_with_split(hr, {"hired": 100})
    walk(referral, hr, *TO_HIRED)
    [hired] = payouts_of(referral)
    assert (hired.amount_minor, hired.share_percent) == (240000, 30)


def test_hr_staff_and_the_hiring_manager_get_no_payout_and_are_told_why(hr):
    hr_referrer = make_user(role=Role.HR)
    by_hr = make_referral(referrer=hr_referrer)
    manager = make_user(role=Role.MANAGER)
    by_manager = make_referral(referrer=manager, job=make_job(hiring_manager_id=manager.id))
    for referral in (by_hr, by_manager):
        walk(referral, hr, *TO_HIRED, Stage.PROBATION_PASSED)
        assert payouts_of(referral) == []
    assert "HR staff" in services.exclusion_reason(by_hr)
    assert "hiring manager" in services.exclusion_reason(by_manager)
    # A manager referring to someone else's job is paid as usual.
    other = make_referral(referrer=manager)
    assert services.exclusion_reason(other) is None
    walk(other, hr, *TO_HIRED)
    assert len(payouts_of(other)) == 1


def test_exclusions_follow_the_rules_the_referral_met(hr):
    rules_with_split(hr, {"hired": 30, "probation_passed": 70}, exclude_hr_from_bonus=False)
    referral = make_referral(referrer=make_user(role=Role.HR))
    rules_with_split(hr, {"hired": 30, "probation_passed": 70}, exclude_hr_from_bonus=True)
    walk(referral, hr, *TO_HIRED)
    assert services.exclusion_reason(referral) is None
    assert len(payouts_of(referral)) == 1


def test_leaving_during_probation_cancels_the_later_stage_and_tells_the_referrer(hr):
    referral = make_referral(job=make_job(bonus_minor=800000))
    walk(referral, hr, *TO_HIRED)
    [hired] = payouts_of(referral)
    services.approve_payout(hired, hr)
    services.mark_paid(hired, hr, local_today(), "PAY-1")
    referral_services.record_left_company(referral, hr, local_today(), note="Resigned")
    hired_after, later = payouts_of(referral)
    assert hired_after.status == PayoutStatus.PAID  # paid stays paid
    assert (later.stage, later.amount_minor, later.status, later.cancel_cause) == (
        Stage.PROBATION_PASSED,
        560000,
        PayoutStatus.CANCELLED,
        CancelCause.LEFT_COMPANY,
    )
    note = db.session.scalars(
        select(Notification)
        .where(Notification.kind == "referral_left")
        .order_by(Notification.id.desc())
    ).first()
    assert note.user_id == referral.referrer_id
    assert "has left the company" in message_for(note)
    # The cancelled share is a line of that notification, not one of its own.
    assert [line.text for line in shown(note).lines] == [
        "The Probation passed bonus of CN¥5,600.00 is cancelled."
    ]


def test_leaving_keeps_an_unpaid_earned_stage_and_cancels_open_later_ones(hr):
    rules_with_split(hr, {"offer": 20, "hired": 30, "probation_passed": 50})
    referral = make_referral(job=make_job(bonus_minor=1000))
    walk(referral, hr, *TO_HIRED)
    referral_services.record_left_company(referral, hr, local_today())
    statuses = [(p.stage, p.status) for p in payouts_of(referral)]
    assert statuses == [
        (Stage.OFFER, PayoutStatus.PENDING),
        (Stage.HIRED, PayoutStatus.PENDING),
        (Stage.PROBATION_PASSED, PayoutStatus.CANCELLED),
    ]


def test_leaving_after_probation_cancels_nothing(hr):
    referral = make_referral()
    walk(referral, hr, *TO_HIRED, Stage.PROBATION_PASSED)
    referral_services.record_left_company(referral, hr, local_today())
    assert {p.status for p in payouts_of(referral)} == {PayoutStatus.PENDING}


def test_pending_to_approved_to_paid_notifies_each_step(hr):
    referral = make_referral()
    walk(referral, hr, *TO_HIRED)
    [payout] = payouts_of(referral)
    services.approve_payout(payout, hr)
    services.mark_paid(payout, hr, local_today() - timedelta(days=1), " PR-2026-11 ")
    [payout] = payouts_of(referral)
    assert payout.status == PayoutStatus.PAID
    assert payout.payroll_reference == "PR-2026-11"
    assert payout.approved_by_id == hr.id and payout.paid_by_id == hr.id
    assert payout.paid_on == local_today() - timedelta(days=1)
    # The bonus earned is a line of the "moved to Hired" notification; each later step its own.
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == referral.referrer_id)
        .order_by(Notification.id)
    ).all()
    steps = [
        [note.kind, *(d["kind"] for d in note.details or [] if d["kind"].startswith("payout"))]
        for note in notes
        if note.kind.startswith("payout") or note.params.get("stage") == "hired"
    ]
    assert steps == [["referral_stage", "payout_created"], ["payout_approved"], ["payout_paid"]]


def test_illegal_transitions_are_refused_with_clear_messages(hr):
    referral = make_referral()
    walk(referral, hr, *TO_HIRED)
    [payout] = payouts_of(referral)
    with pytest.raises(services.PayoutConflict, match="Approve this payout before"):
        services.mark_paid(payout, hr, local_today(), "X")
    services.approve_payout(payout, hr)
    with pytest.raises(services.PayoutConflict, match="already approved"):
        services.approve_payout(payout, hr)
    with pytest.raises(services.PayoutError, match="future"):
        services.mark_paid(payout, hr, local_today() + timedelta(days=1), "X")
    with pytest.raises(services.PayoutError, match="payroll reference"):
        services.mark_paid(payout, hr, local_today(), "  ")
    services.mark_paid(payout, hr, local_today(), "X")
    with pytest.raises(services.PayoutConflict, match="can no longer be cancelled"):
        services.cancel_payout(payout, hr, "Changed our mind")
    assert payouts_of(referral)[0].status == PayoutStatus.PAID


def test_cancel_needs_a_reason_and_hr(hr):
    referral = make_referral()
    walk(referral, hr, *TO_HIRED)
    [payout] = payouts_of(referral)
    with pytest.raises(services.PayoutError, match="reason"):
        services.cancel_payout(payout, hr, " ")
    with pytest.raises(services.PayoutNotAllowed):
        services.cancel_payout(payout, referral.referrer, "mine")
    with pytest.raises(services.PayoutNotAllowed):
        services.approve_payout(payout, make_user(role=Role.MANAGER))
    services.cancel_payout(payout, hr, "Duplicate of a payroll bonus")
    [payout] = payouts_of(referral)
    assert payout.status == PayoutStatus.CANCELLED
    assert payout.cancel_reason == "Duplicate of a payroll bonus"
    assert payout.cancel_cause == CancelCause.HR


def test_bulk_actions_change_the_eligible_ones_and_report_the_rest(hr):
    ids = []
    for _ in range(3):
        referral = walk(make_referral(), hr, *TO_HIRED)
        ids.append(payouts_of(referral)[0].id)
    services.cancel_payout(db.session.get(Payout, ids[2]), hr, "Not eligible")
    result = services.approve_payouts(ids, hr)
    assert result.done == 2 and len(result.refused) == 1
    result = services.mark_payouts_paid(ids, hr, local_today(), "BATCH-7")
    assert result.done == 2
    db.session.expire_all()
    assert [db.session.get(Payout, i).status for i in ids] == [
        PayoutStatus.PAID,
        PayoutStatus.PAID,
        PayoutStatus.CANCELLED,
    ]
    assert db.session.get(Payout, ids[0]).payroll_reference == "BATCH-7"


def test_overdue_after_the_configured_days(hr):
    referral = walk(make_referral(), hr, *TO_HIRED)
    [payout] = payouts_of(referral)
    assert not payout.is_overdue(14)
    assert payout.is_overdue(14, now=utcnow() + timedelta(days=15))
    services.approve_payout(payout, hr)
    assert not payout.is_overdue(14, now=utcnow() + timedelta(days=15))
