"""HR's review queue: ordering by due time, overdue marking, filters, in-place (htmx) actions."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from community.core.time import local_today, utcnow
from community.extensions import db
from community.referrals import services
from community.referrals.models import ReferralSource, Stage
from tests.factories import make_department, make_job
from tests.referrals.factories import make_referral


def row_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tbody id="referral-(\d+)"', html)]


def test_queue_is_ordered_by_due_time_and_marks_overdue(client, auth, hr, time_machine):
    time_machine.move_to("2026-03-02 02:00:00+00:00", tick=False)  # a Monday
    oldest = make_referral(candidate_name="Oldest Olga")
    time_machine.move_to("2026-03-03 02:00:00+00:00", tick=False)
    middle = make_referral(candidate_name="Middle Ming")
    time_machine.move_to("2026-03-04 02:00:00+00:00", tick=False)
    newest = make_referral(candidate_name="Newest Nora")
    hired = make_referral(candidate_name="Hired Hu")
    for stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        services.advance_stage(
            hired, stage, hr, start_date=date(2026, 3, 16)
        )  # no due time any more: last

    time_machine.move_to(
        "2026-03-06 01:00:00+00:00", tick=False
    )  # Friday 09:00: only Olga is overdue
    auth.login(hr)
    page = client.get("/referrals/queue")
    assert page.status_code == 200
    assert row_ids(page.text) == [oldest.id, middle.id, newest.id, hired.id]
    rows = page.text.split('<tbody id="referral-')
    assert 'data-testid="overdue"' in rows[1]
    assert 'data-testid="overdue"' not in rows[2]

    overdue = client.get("/referrals/queue?overdue=1")
    assert row_ids(overdue.text) == [oldest.id]


def test_queue_filters_by_job_department_and_stage(client, auth, hr):
    sales = make_department("Sales")
    sales_job = make_job(department=sales, title="Account Executive")
    a = make_referral(job=sales_job)
    b = make_referral()
    services.advance_stage(b, Stage.SCREENING, hr)
    c = make_referral()
    services.advance_stage(c, Stage.REJECTED, hr, reason="Not a fit")
    auth.login(hr)
    assert row_ids(client.get(f"/referrals/queue?job={sales_job.id}").text) == [a.id]
    assert row_ids(client.get(f"/referrals/queue?department={sales.id}").text) == [a.id]
    assert row_ids(client.get("/referrals/queue?stage=screening").text) == [b.id]
    assert row_ids(client.get("/referrals/queue?stage=rejected").text) == [c.id]
    assert c.id not in row_ids(client.get("/referrals/queue").text)  # closed ones leave the queue
    assert client.get("/referrals/queue?stage=bogus&job=x").status_code == 200


def test_a_chinese_toast_travels_in_the_header(client, auth, hr):
    referral = make_referral(candidate_name="周瑜")
    hr.locale = "zh_CN"
    db.session.commit()
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "screening", "expected_from": "submitted", "target": "row"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"].isascii()
    assert "周瑜" in json.loads(response.headers["HX-Trigger"])["toast"][0]["message"]


def test_htmx_advance_returns_the_row_and_a_toast(client, auth, hr):
    referral = make_referral(candidate_name="Zhou Yu")
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "interviewing",
            "expected_from": "submitted",
            "feedback": "Great profile, interview next week",
            "target": "row",
            "next": "/referrals/queue",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tbody id="referral-{referral.id}"')
    assert "<html" not in response.text
    assert "stage-interviewing" in response.text
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["toast"][0]["category"] == "success"
    assert "Zhou Yu" in trigger["toast"][0]["message"]

    # The same click again (a double submit): nothing recorded twice, a 409 with a friendly toast.
    again = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "interviewing", "expected_from": "submitted", "target": "row"},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 409
    assert "already moved" in json.loads(again.headers["HX-Trigger"])["toast"][0]["message"]
    db.session.refresh(referral)
    assert [e.to_stage for e in referral.events] == [Stage.SUBMITTED, Stage.INTERVIEWING]


def test_htmx_reject_without_reason_shows_the_error_in_the_row(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "rejected", "expected_from": "submitted", "target": "row"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "give a reason" in response.text
    assert "collapse show" in response.text


def test_plain_form_advance_redirects_back_with_a_flash(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "screening",
            "expected_from": "submitted",
            "next": "/referrals/queue?stage=submitted",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/referrals/queue?stage=submitted"
    page = client.get(response.headers["Location"])
    assert "moved to Screening" in page.text
    # An outside "next" is ignored.
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "interviewing",
            "expected_from": "screening",
            "next": "https://evil.example",
        },
    )
    assert response.headers["Location"] == f"/referrals/{referral.id}"


def test_plain_form_errors_are_4xx_never_500(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    assert (
        client.post(f"/referrals/{referral.id}/advance", data={"to_stage": "nonsense"}).status_code
        == 422
    )
    response = client.post(f"/referrals/{referral.id}/advance", data={"to_stage": "hired"})
    assert response.status_code == 422
    assert "cannot move straight" in response.text
    response = client.post(f"/referrals/{referral.id}/advance", data={"to_stage": "rejected"})
    assert response.status_code == 422
    assert (
        client.post(f"/referrals/{referral.id}/left", data={"left_on": "not a date"}).status_code
        == 422
    )
    assert (
        client.post(f"/referrals/{referral.id}/left", data={"left_on": "2020-01-01"}).status_code
        == 422
    )


def test_hr_records_leaving_through_the_form(client, auth, hr):
    referral = make_referral()
    for stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        services.advance_stage(referral, stage, hr, start_date=local_today())
    auth.login(hr)
    today = (utcnow() + timedelta(hours=8)).date().isoformat()
    response = client.post(
        f"/referrals/{referral.id}/left", data={"left_on": today, "note": "Relocated"}
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert referral.left_company_on.isoformat() == today
    page = client.get(f"/referrals/{referral.id}")
    assert "Left the company" in page.text and "Relocated" in page.text


def test_hr_sees_how_a_referral_came(client, auth, hr):
    by_form = make_referral()
    by_link = make_referral(source=ReferralSource.LINK)
    assert (by_form.source, by_link.source) == (ReferralSource.FORM, ReferralSource.LINK)
    auth.login(hr)
    page = client.get("/referrals/queue").text
    assert page.count('data-testid="queue-source"') == 1 and "Personal link" in page
    detail = client.get(f"/referrals/{by_form.id}").text
    assert re.search(r'data-testid="referral-source">\s*Referral form', detail)
