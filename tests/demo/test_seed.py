"""`flask seed-demo`: a believable company with referrals in every stage, loaded once."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from community.accounts.models import Department, Role, User
from community.core.time import local_today, utcnow
from community.demo.data import DEMO_ACCOUNTS
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.notifications.models import Notification
from community.payouts.models import CancelCause, Payout, PayoutStatus
from community.pipeline import SLA_STAGES, Stage
from community.referrals import resumes as uploads
from community.referrals.models import EventKind, Referral, ReferralSource

HR_LOGIN = "hr@demo.example"
EMPLOYEE_LOGIN = "employee@demo.example"


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _referrals() -> list[Referral]:
    return list(db.session.scalars(select(Referral).order_by(Referral.id)))


def _snapshot() -> dict[str, Any]:
    """Row counts of every table, and what each referral looks like."""
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    referrals = db.session.execute(
        select(
            Referral.id, Referral.stage, Referral.submitted_at, Referral.stage_changed_at
        ).order_by(Referral.id)
    ).all()
    return {"counts": counts, "referrals": [tuple(row) for row in referrals]}


def test_a_company_of_departments_people_and_jobs(seeded: str) -> None:
    assert seeded.startswith("Loaded demo company")
    assert _count(Department) >= 8
    assert _count(User) >= 150
    assert set(db.session.scalars(select(User.role).distinct())) == set(Role)
    for email, *_ in DEMO_ACCOUNTS:
        assert _user(email).is_active_account

    jobs = list(db.session.scalars(select(Job)))
    assert len(jobs) == 25
    assert all(job.competencies and job.soft_traits and job.description for job in jobs)
    assert {job.status for job in jobs} == set(JobStatus)


def test_referrals_in_every_stage(seeded: str) -> None:
    referrals = _referrals()

    assert 60 <= len(referrals) <= 90
    assert {r.stage for r in referrals} == set(Stage)
    assert any(r.stage == Stage.HIRED and r.left_company_on for r in referrals)
    assert all(r.submitted_at >= r.job.opened_at for r in referrals)
    closed = [j for j in db.session.scalars(select(Job)) if j.status == JobStatus.CLOSED]
    assert all(r.submitted_at < job.closed_at for job in closed for r in referrals if r.job is job)


def test_histories_are_in_order_and_mostly_moved_by_hr(seeded: str) -> None:
    hr = _user(HR_LOGIN)
    now = utcnow()
    moves = hr_moves = 0
    for referral in _referrals():
        events = referral.events  # by id: the order they were written in
        # A candidate who applied themselves took the first step: it has no actor.
        applied = referral.source != ReferralSource.FORM
        assert all(event.actor_id for event in events[applied:]), referral.id
        times = [event.created_at for event in events]
        assert times == sorted(times), referral.id
        assert times[-1] < now
        first = events[0]
        assert (first.from_stage, first.to_stage) == (None, Stage.SUBMITTED)
        assert first.actor_id == (None if applied else referral.referrer_id)
        assert first.created_at == referral.submitted_at == referral.consent_confirmed_at
        stage_events = [e for e in events if e.kind == EventKind.STAGE_CHANGE]
        assert stage_events[-1].to_stage == referral.stage
        assert stage_events[-1].created_at == referral.stage_changed_at
        if referral.stage.is_closed_unsuccessfully:
            assert stage_events[-1].reason, referral.id
        if referral.left_company_on:
            assert events[-1].kind == EventKind.LEFT_COMPANY
        for event in stage_events[1:]:
            moves += 1
            hr_moves += event.actor_id == hr.id
    assert hr_moves > moves / 2

    # About eight months of history, up to today.
    submitted = sorted(r.submitted_at for r in _referrals())
    assert (now - submitted[0]).days >= 180
    assert (now - submitted[-1]).days <= 2


def test_review_queue_has_overdue_and_timely_referrals(seeded: str) -> None:
    now = utcnow()
    due = [r.review_due_at for r in _referrals() if r.stage in SLA_STAGES]

    assert all(due)
    assert any(d < now for d in due)
    assert any(d > now for d in due)


def test_referrals_follow_the_program_rules(seeded: str) -> None:
    live_owners: dict[str, list[Referral]] = defaultdict(list)
    for referral in _referrals():
        assert referral.referrer.role != Role.HR
        assert referral.referrer.is_active_account
        assert referral.referrer_id != referral.job.hiring_manager_id
        assert not db.session.scalar(
            select(func.count(User.id)).where(User.email == referral.candidate.email)
        )
        assert referral.consent_confirmed_at is not None
        if referral.stage != Stage.WITHDRAWN:
            live_owners[referral.candidate.email].append(referral)
    # The ownership window: one live referral per candidate (a withdrawn one may be followed).
    assert all(len(live) == 1 for live in live_owners.values())


def test_resumes_are_uploaded_or_linked(seeded: str) -> None:
    referrals = _referrals()
    uploaded = [r for r in referrals if r.resume_file]

    assert uploaded
    assert all(uploads.resume_path(r.resume_file) for r in uploaded)
    assert all(r.resume_url.startswith("https://") for r in referrals if not r.resume_file)


def test_the_demo_employee_sees_a_living_page(seeded: str) -> None:
    employee = _user(EMPLOYEE_LOGIN)
    mine = [r for r in _referrals() if r.referrer_id == employee.id]
    assert len({r.stage for r in mine}) >= 3

    notifications = list(
        db.session.scalars(select(Notification).where(Notification.user_id == employee.id))
    )
    assert notifications
    assert any(n.read_at is None for n in notifications)
    assert any(n.read_at is not None for n in notifications)
    # Each notification is dated when the move it reports happened (his own moves notify nobody).
    moments = {e.created_at for r in mine for e in r.events if e.actor_id != employee.id}
    about_referrals = [n for n in notifications if n.kind.startswith("referral")]
    assert {n.created_at for n in about_referrals} <= moments
    # Payout news is dated when the payout was created, approved, paid or cancelled.
    payouts = db.session.scalars(select(Payout).where(Payout.referrer_id == employee.id)).all()
    payout_moments = {
        moment
        for p in payouts
        for moment in (p.created_at, p.approved_at, p.paid_at, p.cancelled_at)
        if moment
    }
    about_payouts = [n for n in notifications if n.kind.startswith("payout")]
    assert {n.created_at for n in about_payouts} <= payout_moments


def test_payouts_in_every_status_dated_sensibly(seeded: str) -> None:
    payouts = db.session.scalars(select(Payout)).all()
    assert {p.status for p in payouts} == set(PayoutStatus)
    assert {p.cancel_cause for p in payouts if p.status == PayoutStatus.CANCELLED} == set(
        CancelCause
    )
    for payout in payouts:
        assert payout.referral.bonus_minor > 0
        if payout.approved_at:
            assert payout.created_at < payout.approved_at
        if payout.paid_at:
            assert payout.approved_at < payout.paid_at
            assert payout.paid_on <= local_today() and payout.payroll_reference
    overdue = [p for p in payouts if p.is_overdue(14)]
    assert overdue and any(
        p.status == PayoutStatus.PENDING and not p.is_overdue(14) for p in payouts
    )


def test_hr_was_told_about_every_referral(seeded: str) -> None:
    hr = _user(HR_LOGIN)
    received = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == hr.id, Notification.kind == "referral_received"
        )
    )

    assert received == len(_referrals())


def test_seeding_again_changes_nothing(seeded: str, runner: Any) -> None:
    before = _snapshot()

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "nothing to do" in again.output
    assert _snapshot() == before

    # --force loads only what is missing: here, nothing.
    forced = runner.invoke(args=["seed-demo", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "nothing to do" in forced.output
    assert _snapshot() == before


def test_loading_the_demo_logs_nothing_but_problems(seeded: str) -> None:
    """`make run` prints one summary line, not a line per badge and referral the demo writes."""
    from tests.demo.conftest import SEED_LOG

    assert seeded.startswith("Loaded demo company")
    assert [record.getMessage() for record in SEED_LOG if record.levelno < logging.WARNING] == []
