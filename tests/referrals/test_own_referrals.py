"""Issue 11.1: nobody decides on a referral they made. An HR officer who refers a friend may
withdraw that referral, and nothing else: another HR colleague moves, rejects and closes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.notifications.models import Notification
from community.points.models import PointEntry
from community.referrals import services
from community.referrals.models import EventKind, ReferralEvent, Stage
from tests.factories import make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral


@pytest.fixture
def hr_referrer():
    return make_user(role=Role.HR, name="Rita Referrer")


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_hr_cannot_move_their_own_referral_and_nothing_is_written(hr_referrer):
    referral = make_referral(referrer=hr_referrer)
    events_before = _count(ReferralEvent, ReferralEvent.referral_id == referral.id)
    notes_before = _count(Notification)
    for target in (Stage.INTERVIEWING, Stage.SCREENING, Stage.REJECTED):
        with pytest.raises(services.ReferralError) as exc:
            services.advance_stage(
                referral,
                target,
                hr_referrer,
                feedback="Looks great to me!",
                reason="n/a",
                expected_from=Stage.SUBMITTED,
            )
        assert exc.value.status == 403
        assert "another HR colleague" in exc.value.message
    db.session.expire_all()
    assert referral.stage == Stage.SUBMITTED
    assert _count(ReferralEvent, ReferralEvent.referral_id == referral.id) == events_before
    assert _count(Notification) == notes_before
    assert _count(PointEntry, PointEntry.user_id == hr_referrer.id) == 0


def test_hr_cannot_record_that_their_own_hire_left(hr, hr_referrer):
    referral = walk(
        make_referral(referrer=hr_referrer), hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED
    )
    with pytest.raises(services.ReferralError) as exc:
        services.record_left_company(referral, hr_referrer, local_today(), note="Resigned")
    assert exc.value.status == 403
    db.session.expire_all()
    assert referral.left_company_on is None
    assert (
        _count(
            ReferralEvent,
            ReferralEvent.referral_id == referral.id,
            ReferralEvent.kind == EventKind.LEFT_COMPANY,
        )
        == 0
    )


def test_another_hr_colleague_moves_it_and_the_referrer_earns_what_the_rules_give(hr, hr_referrer):
    referral = make_referral(referrer=hr_referrer)
    walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    db.session.refresh(referral)
    assert referral.stage == Stage.HIRED
    assert [e.actor_id for e in referral.events[1:]] == [hr.id, hr.id, hr.id]
    # Points come from the colleague's decisions, never the referrer's own: every entry the
    # referrer has is for a stage someone else moved the referral to.
    moved_by_other = {e.to_stage for e in referral.events[1:] if e.actor_id == hr.id}
    for entry in db.session.scalars(
        select(PointEntry).where(
            PointEntry.user_id == hr_referrer.id, PointEntry.referral_id == referral.id
        )
    ):
        assert entry.stage in moved_by_other | {Stage.SUBMITTED}


def test_the_referrer_may_still_withdraw_their_own_referral(hr_referrer):
    referral = make_referral(referrer=hr_referrer)
    with pytest.raises(services.ReferralError) as exc:
        services.withdraw_referral(referral, hr_referrer, reason="")
    assert exc.value.field == "reason_code"  # the reason is chosen from a list first
    services.withdraw_referral(referral, hr_referrer, reason="She took another offer.")
    db.session.refresh(referral)
    assert referral.stage == Stage.WITHDRAWN
    assert referral.events[-1].actor_id == hr_referrer.id


def test_over_http_the_referring_hr_sees_a_note_and_a_post_is_refused(client, auth, hr_referrer):
    referral = make_referral(referrer=hr_referrer, candidate_name="Fang Friend")
    auth.login(hr_referrer)

    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert 'data-testid="stage-form"' not in page.text
    assert "You referred this person, so another HR colleague moves it." in page.text
    assert 'data-testid="withdraw-form"' in page.text  # withdrawing stays open to them

    queue = client.get("/referrals/queue")
    assert queue.status_code == 200
    assert f'id="referral-{referral.id}"' in queue.text  # still listed, but not actionable
    assert 'data-testid="stage-form"' not in queue.text
    assert "You referred this person, so another HR colleague moves it." in queue.text

    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "interviewing", "expected_from": "submitted"},
    )
    assert response.status_code == 403
    htmx = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "interviewing", "expected_from": "submitted", "target": "row"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 403
    db.session.expire_all()
    assert referral.stage == Stage.SUBMITTED
    assert _count(PointEntry, PointEntry.user_id == hr_referrer.id) == 0

    withdrawn = client.post(
        f"/referrals/{referral.id}/withdraw", data={"reason": "She took another offer."}
    )
    assert withdrawn.status_code == 302
    db.session.expire_all()
    assert referral.stage == Stage.WITHDRAWN


def test_over_http_another_hr_colleague_sees_and_uses_the_stage_form(client, auth, hr, hr_referrer):
    referral = make_referral(referrer=hr_referrer)
    auth.login(hr)
    page = client.get(f"/referrals/{referral.id}")
    assert 'data-testid="stage-form"' in page.text
    assert "You referred this person" not in page.text
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "interviewing", "expected_from": "submitted"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert referral.stage == Stage.INTERVIEWING


def test_the_refusal_is_in_the_users_language(client, auth, hr_referrer):
    hr_referrer.locale = "zh_CN"
    db.session.commit()
    referral = make_referral(referrer=hr_referrer)
    auth.login(hr_referrer)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "interviewing", "expected_from": "submitted"},
    )
    assert response.status_code == 403
    assert "You referred this person" not in response.text
    assert "同事" in response.text
