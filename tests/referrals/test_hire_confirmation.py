"""Issue 11 §20: moving a referral to Hired asks to confirm, with the hire's start date (required,
within a year either way), which is stored on the referral and travels on the events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.notifications.models import Notification
from community.payouts.models import Payout
from community.points.models import PointEntry
from community.referrals import services
from community.referrals.models import ReferralEvent, Stage
from tests.factories import make_job, make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral

TO_OFFER = (Stage.INTERVIEWING, Stage.OFFER)


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _written(referral) -> tuple[int, int, int, int]:
    """Everything a hire writes: history, payouts, notifications, points."""
    return (
        _count(ReferralEvent, ReferralEvent.referral_id == referral.id),
        _count(Payout, Payout.referral_id == referral.id),
        _count(Notification),
        _count(PointEntry),
    )


@pytest.fixture
def at_offer(hr):
    return walk(make_referral(job=make_job(bonus_minor=1_000_000)), hr, *TO_OFFER)


def _hire_form(referral, **fields) -> dict[str, str]:
    data = {"to_stage": "hired", "expected_from": "offer"}
    data.update(fields)
    return data


# The service --------------------------------------------------------------------------------


def test_a_hire_without_a_start_date_is_refused_and_nothing_is_written(hr, at_offer):
    before = _written(at_offer)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(at_offer, Stage.HIRED, hr, expected_from=Stage.OFFER)
    assert exc.value.field == "start_date" and exc.value.status == 422
    assert "start date" in exc.value.message
    assert _written(at_offer) == before
    assert at_offer.stage == Stage.OFFER and at_offer.start_date is None


@pytest.mark.parametrize(
    ("days", "message"),
    [(-366, "more than a year ago"), (366, "more than a year ahead"), (-4000, "year ago")],
)
def test_a_start_date_further_than_a_year_away_is_refused(hr, at_offer, days, message):
    before = _written(at_offer)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(
            at_offer, Stage.HIRED, hr, start_date=local_today() + timedelta(days=days)
        )
    assert exc.value.field == "start_date" and message in exc.value.message
    assert _written(at_offer) == before


@pytest.mark.parametrize("days", [-365, 0, 365])
def test_a_start_date_within_a_year_is_stored_on_the_referral(hr, at_offer, days):
    start = local_today() + timedelta(days=days)
    services.advance_stage(at_offer, Stage.HIRED, hr, start_date=start)
    db.session.expire_all()
    assert at_offer.stage == Stage.HIRED and at_offer.start_date == start


def test_the_start_date_travels_on_the_events(hr, at_offer):
    seen: list[events.Event] = []
    record = seen.append
    events.subscribe(events.StageAdvanced, record)
    events.subscribe(events.HireConfirmed, record)
    try:
        start = local_today() + timedelta(days=20)
        services.advance_stage(at_offer, Stage.HIRED, hr, start_date=start)
        walk(at_offer, hr, Stage.PROBATION_PASSED)
    finally:
        events.unsubscribe(events.StageAdvanced, record)
        events.unsubscribe(events.HireConfirmed, record)
    assert [(type(e).__name__, e.start_date) for e in seen] == [
        ("StageAdvanced", start),
        ("HireConfirmed", start),
        ("StageAdvanced", start),  # probation passed: still counted from the start date
    ]


def test_the_own_referral_rule_still_holds_for_a_hire(hr):
    rita = make_user(role=Role.HR, name="Rita Referrer")
    referral = walk(make_referral(referrer=rita), hr, *TO_OFFER)
    before = _written(referral)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.HIRED, rita, start_date=local_today())
    assert exc.value.status == 403 and exc.value.code == "own_referral"
    assert _written(referral) == before


# Over HTTP: plain forms ---------------------------------------------------------------------


def test_move_to_hired_without_javascript_shows_a_confirmation_page_and_writes_nothing(
    client, auth, hr, at_offer
):
    auth.login(hr)
    before = _written(at_offer)
    response = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(at_offer, feedback="Welcome aboard!", internal_note="Salary band B"),
    )
    assert response.status_code == 200
    page = response.text
    assert 'data-testid="hire-form"' in page and 'type="date"' in page
    assert 'name="confirm" value="1"' in page
    assert "Welcome aboard!" in page and "Salary band B" in page  # carried to the second step
    assert "<html" in page  # a page of its own
    assert _written(at_offer) == before


def test_confirming_without_a_start_date_is_refused_with_a_message(client, auth, hr, at_offer):
    auth.login(hr)
    before = _written(at_offer)
    response = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(at_offer, confirm="1", feedback="Welcome aboard!"),
    )
    assert response.status_code == 422
    assert "Please enter the hire&#39;s start date" in response.text
    assert 'data-testid="start-date-error"' in response.text
    assert "Welcome aboard!" in response.text  # nothing typed is lost
    assert _written(at_offer) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a date", "Please enter the start date as a date"),
        ("2026-02-30", "Please enter the start date as a date"),
        ((date.today() + timedelta(days=800)).isoformat(), "more than a year ahead"),
        ((date.today() - timedelta(days=800)).isoformat(), "more than a year ago"),
    ],
)
def test_confirming_with_a_bad_start_date_is_refused(client, auth, hr, at_offer, value, message):
    auth.login(hr)
    before = _written(at_offer)
    response = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(at_offer, confirm="1", start_date=value),
    )
    assert response.status_code == 422
    assert message in response.text
    assert _written(at_offer) == before


def test_the_error_is_in_the_readers_language(client, auth, hr, at_offer):
    hr.locale = "zh_CN"
    db.session.commit()
    auth.login(hr)
    response = client.post(
        f"/referrals/{at_offer.id}/advance", data=_hire_form(at_offer, confirm="1")
    )
    assert response.status_code == 422
    assert "入职日期" in response.text


def test_confirming_with_a_start_date_hires_the_candidate(client, auth, hr, at_offer):
    auth.login(hr)
    start = local_today() + timedelta(days=14)
    response = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(
            at_offer, confirm="1", start_date=start.isoformat(), feedback="Welcome aboard!"
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/referrals/{at_offer.id}"
    db.session.expire_all()
    assert at_offer.stage == Stage.HIRED and at_offer.start_date == start
    assert at_offer.events[-1].feedback == "Welcome aboard!"
    page = client.get(f"/referrals/{at_offer.id}").text
    assert 'data-testid="start-date-shown"' in page


def test_a_stale_or_skipping_hire_is_refused_not_confirmed(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    skipping = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "hired", "expected_from": "submitted"},
    )
    assert skipping.status_code == 422 and "cannot move straight" in skipping.text
    walk(referral, hr, *TO_OFFER)
    stale = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "hired", "expected_from": "interviewing"},
    )
    assert stale.status_code == 302  # "already moved": back to the page with the message
    db.session.expire_all()
    assert referral.stage == Stage.OFFER


def test_the_referring_hr_gets_no_confirmation_step_and_nothing_is_written(client, auth, hr):
    rita = make_user(role=Role.HR, name="Rita Referrer")
    referral = walk(make_referral(referrer=rita), hr, *TO_OFFER)
    auth.login(rita)
    before = _written(referral)
    first = client.post(f"/referrals/{referral.id}/advance", data=_hire_form(referral))
    assert first.status_code == 403 and 'data-testid="hire-form"' not in first.text
    confirmed = client.post(
        f"/referrals/{referral.id}/advance",
        data=_hire_form(referral, confirm="1", start_date=local_today().isoformat()),
    )
    assert confirmed.status_code == 403
    assert _written(referral) == before


def test_an_employee_cannot_reach_the_confirmation(client, auth, hr, at_offer):
    auth.login(at_offer.referrer)
    response = client.post(f"/referrals/{at_offer.id}/advance", data=_hire_form(at_offer))
    assert response.status_code in (403, 404)
    assert 'data-testid="hire-form"' not in response.text


# Over HTTP: htmx ----------------------------------------------------------------------------


def test_htmx_shows_the_confirmation_in_place_and_confirms(client, auth, hr, at_offer):
    auth.login(hr)
    htmx = {"HX-Request": "true"}
    step = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(at_offer, feedback="Welcome!"),
        headers=htmx,
    )
    assert step.status_code == 200
    assert "<html" not in step.text and 'data-testid="hire-form"' in step.text
    assert f'hx-target="#stage-actions-{at_offer.id}"' in step.text

    refused = client.post(
        f"/referrals/{at_offer.id}/advance", data=_hire_form(at_offer, confirm="1"), headers=htmx
    )
    assert refused.status_code == 422 and 'data-testid="start-date-error"' in refused.text
    assert "<html" not in refused.text

    done = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(at_offer, confirm="1", start_date=local_today().isoformat()),
        headers=htmx,
    )
    assert done.status_code == 200
    assert done.headers["HX-Redirect"] == f"/referrals/{at_offer.id}"
    db.session.expire_all()
    assert at_offer.stage == Stage.HIRED


def test_htmx_from_the_queue_row_replaces_the_row(client, auth, hr, at_offer):
    auth.login(hr)
    response = client.post(
        f"/referrals/{at_offer.id}/advance",
        data=_hire_form(
            at_offer,
            confirm="1",
            start_date=local_today().isoformat(),
            target="row",
            next="/referrals/queue",
        ),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tbody id="referral-{at_offer.id}"')
    assert response.headers["HX-Retarget"] == f"#referral-{at_offer.id}"
    assert response.headers["HX-Reswap"] == "outerHTML"
