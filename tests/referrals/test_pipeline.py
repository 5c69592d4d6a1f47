"""Section 6: stages move forward only, with history, once; leaving the company."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.time import local_today, utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.referrals import queries, services
from community.referrals.models import EventKind, ReferralEvent, Stage
from tests.factories import make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def test_each_move_records_actor_note_feedback_and_notifies_the_referrer(hr):
    referral = make_referral()
    services.advance_stage(
        referral,
        Stage.SCREENING,
        hr,
        internal_note="Strong CV",
        feedback="HR is reading the resume this week.",
        expected_from=Stage.SUBMITTED,
    )
    db.session.refresh(referral)
    assert referral.stage == Stage.SCREENING
    event = referral.events[-1]
    assert (event.from_stage, event.to_stage, event.actor_id) == (
        Stage.SUBMITTED,
        Stage.SCREENING,
        hr.id,
    )
    assert event.internal_note == "Strong CV"
    assert event.feedback == "HR is reading the resume this week."
    note = db.session.scalars(
        select(Notification).where(
            Notification.user_id == referral.referrer_id,
            Notification.kind != "badge_earned",  # the first-referral badge
        )
    ).one()
    assert note.kind == "referral_stage"
    assert note.params["stage"] == "screening" and note.link == f"/referrals/{referral.id}"
    assert referral.review_due_at is not None


def test_the_full_path_to_probation_passed(hr):
    referral = walk(
        make_referral(), hr, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED
    )
    assert referral.review_due_at is None  # hired is not in the review SLA
    walk(referral, hr, Stage.PROBATION_PASSED)
    assert [e.to_stage for e in referral.events] == [
        Stage.SUBMITTED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED,
    ]  # fmt: skip


def test_submitted_may_skip_screening_straight_to_interviewing(hr):
    referral = walk(make_referral(), hr, Stage.INTERVIEWING)
    assert referral.stage == Stage.INTERVIEWING


def test_skipping_other_stages_is_refused(hr):
    referral = make_referral()
    for target in (Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED):
        with pytest.raises(services.ReferralError) as exc:
            services.advance_stage(referral, target, hr)
        assert exc.value.status == 422
    walk(referral, hr, Stage.SCREENING)
    with pytest.raises(services.ReferralError):
        services.advance_stage(referral, Stage.OFFER, hr)


def test_backwards_is_refused(hr):
    referral = walk(make_referral(), hr, Stage.SCREENING, Stage.INTERVIEWING)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.SCREENING, hr)
    assert "only move forward" in exc.value.message
    db.session.refresh(referral)
    assert referral.stage == Stage.INTERVIEWING


def test_rejection_needs_a_reason(hr):
    referral = make_referral()
    for blank in (None, "", "   "):
        with pytest.raises(services.ReferralError):
            services.advance_stage(referral, Stage.REJECTED, hr, reason=blank)
    services.advance_stage(referral, Stage.REJECTED, hr, reason="Needs more Kubernetes experience")
    assert referral.stage == Stage.REJECTED and referral.review_due_at is None
    assert referral.events[-1].reason == "Needs more Kubernetes experience"


@pytest.mark.parametrize("terminal", [Stage.REJECTED, Stage.WITHDRAWN, Stage.PROBATION_PASSED])
def test_terminal_stages_cannot_move(hr, terminal):
    referral = make_referral()
    if terminal == Stage.PROBATION_PASSED:
        walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED)
    else:
        services.advance_stage(referral, terminal, hr, reason="No longer interested")
    for target in (Stage.SCREENING, Stage.REJECTED, Stage.WITHDRAWN):
        with pytest.raises(services.ReferralError):
            services.advance_stage(referral, target, hr, reason="again")
    db.session.refresh(referral)
    assert referral.stage == terminal


def test_a_hire_can_no_longer_be_rejected_or_withdrawn(hr):
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    for target, actor in (
        (Stage.REJECTED, hr),
        (Stage.WITHDRAWN, hr),
        (Stage.WITHDRAWN, referral.referrer),
    ):
        with pytest.raises(services.ReferralError, match="record that they left"):
            services.advance_stage(referral, target, actor, reason="changed our mind")
    db.session.refresh(referral)
    assert referral.stage == Stage.HIRED and len(referral.events) == 4


def test_a_repeated_submit_is_recorded_once(hr):
    referral = make_referral()
    services.advance_stage(referral, Stage.SCREENING, hr, expected_from=Stage.SUBMITTED)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.SCREENING, hr, expected_from=Stage.SUBMITTED)
    assert "already moved" in exc.value.message
    assert exc.value.status == 409
    events = db.session.scalar(
        select(func.count())
        .select_from(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
    )
    assert events == 2
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == referral.referrer_id,
        Notification.kind == "referral_stage")) == 1  # fmt: skip


def test_a_stale_form_is_a_conflict_not_a_second_move(hr):
    referral = walk(make_referral(), hr, Stage.SCREENING)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(
            referral, Stage.REJECTED, hr, reason="x", expected_from=Stage.SUBMITTED
        )
    assert exc.value.status == 409 and exc.value.code == "stage_conflict"


def test_the_unique_constraint_backs_up_the_check(hr, monkeypatch):
    referral = make_referral()
    services.advance_stage(referral, Stage.SCREENING, hr)
    # Pretend two requests both passed the stage check: the database still refuses the duplicate.
    db.session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_stage=Stage.SUBMITTED,
            to_stage=Stage.INTERVIEWING,
            actor_id=hr.id,
        )
    )
    db.session.commit()
    with pytest.raises(services.ReferralError):
        services.advance_stage(referral, Stage.INTERVIEWING, hr)
    db.session.refresh(referral)
    assert referral.stage == Stage.SCREENING


def test_only_hr_moves_stages_but_the_referrer_may_withdraw_with_a_reason(hr):
    referral = make_referral()
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.SCREENING, referral.referrer)
    assert exc.value.status == 403
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.WITHDRAWN, make_user(), reason="x")
    assert exc.value.status in (403, 404)
    with pytest.raises(services.ReferralError):
        services.withdraw_referral(referral, referral.referrer, "")
    services.withdraw_referral(referral, referral.referrer, "She accepted another offer")
    assert referral.stage == Stage.WITHDRAWN


def test_left_company_is_recorded_for_a_hire_and_blocks_probation(hr):
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER)
    with pytest.raises(services.ReferralError):
        services.record_left_company(referral, hr, local_today())
    walk(referral, hr, Stage.HIRED)
    with pytest.raises(services.ReferralError):
        services.record_left_company(referral, hr, local_today() + timedelta(days=1))
    with pytest.raises(services.ReferralError):
        services.record_left_company(referral, hr, local_today() - timedelta(days=30))
    with pytest.raises(services.ReferralError):
        services.record_left_company(referral, referral.referrer, local_today())

    services.record_left_company(referral, hr, local_today(), note="Moved abroad")
    assert referral.left_company_on == local_today()
    event = referral.events[-1]
    assert event.kind == EventKind.LEFT_COMPANY and event.internal_note == "Moved abroad"
    assert (
        db.session.scalars(select(Notification).where(Notification.kind == "referral_left"))
        .one()
        .user_id
        == referral.referrer_id
    )
    with pytest.raises(services.ReferralError):
        services.record_left_company(referral, hr, local_today())
    with pytest.raises(services.ReferralError):
        services.advance_stage(referral, Stage.PROBATION_PASSED, hr)
    assert queries.allowed_next_stages(referral) == []


def test_review_due_is_recomputed_on_each_move(hr, time_machine):
    time_machine.move_to("2026-03-02 02:00:00+00:00", tick=False)  # Monday 10:00 in Shanghai
    referral = make_referral()
    assert referral.review_due_at.date().isoformat() == "2026-03-05"  # three working days
    time_machine.move_to("2026-03-06 02:00:00+00:00", tick=False)  # Friday
    services.advance_stage(referral, Stage.SCREENING, hr)
    assert referral.review_due_at.date().isoformat() == "2026-03-11"  # skips the weekend
    assert referral.stage_changed_at == utcnow()
