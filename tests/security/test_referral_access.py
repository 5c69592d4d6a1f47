"""One referral, every role: its referrer and HR see it (page, resume, notifications that point to
it); the job's hiring manager reads it (issue 11 §16) but moves nothing and never sees HR's
internal notes; another employee and another manager get a 404 that is byte-for-byte the answer
for a referral that does not exist.

Extends tests/referrals/test_permissions.py (which covers referrer, another employee, a manager and
HR on the page, the resume and withdrawal) with the hiring manager, htmx requests, notifications,
internal notes and "identical to missing"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.notifications.models import Notification
from community.referrals import services as referral_services
from community.referrals.models import Referral, Stage
from tests.security.conftest import Company, db_fingerprint, login, same_response

SECRETS = ("Secret Candidate Sun", "secret.candidate@example.org", "13812345678")
OUTSIDERS = ["employee", "manager"]
NOT_OWNERS = [*OUTSIDERS, "hiring_manager"]  # none of them made the referral or decides on it
MISSING_ID = 987654


def _requests(referral_id: int) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("GET", f"/referrals/{referral_id}", {}),
        ("GET", f"/referrals/{referral_id}/resume", {}),
        ("POST", f"/referrals/{referral_id}/withdraw", {"reason": "Not mine to withdraw"}),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_outsiders_get_the_same_404_as_for_a_missing_referral(client, company, who, htmx) -> None:
    login(client, company.user(who))
    headers = {"HX-Request": "true"} if htmx else {}
    before = db_fingerprint()
    for (method, path, data), (_m, missing_path, _d) in zip(
        _requests(company.referral.id), _requests(MISSING_ID), strict=True
    ):
        theirs = client.open(path, method=method, data=data, headers=headers)
        missing = client.open(missing_path, method=method, data=data, headers=headers)
        assert theirs.status_code == 404, path
        assert same_response(theirs, missing), path
        assert not any(secret in theirs.text for secret in SECRETS)
    assert db_fingerprint() == before


@pytest.mark.parametrize("who", ["referrer", "hr"])
def test_the_referrer_and_hr_see_the_referral_and_its_resume(client, company, who) -> None:
    login(client, company.user(who))
    page = client.get(f"/referrals/{company.referral.id}")
    assert page.status_code == 200
    assert all(secret in page.text for secret in SECRETS[:2])
    fragment = client.get(f"/referrals/{company.referral.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    resume = client.get(f"/referrals/{company.referral.id}/resume")
    assert resume.status_code == 200 and resume.data.startswith(b"%PDF-")


def test_the_jobs_hiring_manager_reads_referrals_to_their_job_and_moves_nothing(
    client, company
) -> None:
    """Issue 11 §16 (newer than PRODUCT.md's "referrer and HR only"): the job's hiring manager
    follows its referrals read-only (page, resume, HR's feedback to the referrer), never HR's
    internal notes, the HR queue or a move."""
    assert company.job.hiring_manager_id == company.hiring_manager.id
    referral_services.advance_stage(
        company.referral,
        Stage.SCREENING,
        company.hr,
        internal_note="Salary expectations too high (HR only)",
        feedback="HR is reading the resume this week.",
    )
    login(client, company.hiring_manager)
    page = client.get(f"/referrals/{company.referral.id}")
    assert page.status_code == 200
    assert all(secret in page.text for secret in SECRETS[:2])
    assert "HR is reading the resume this week." in page.text
    assert "Salary expectations too high" not in page.text
    assert client.get(f"/referrals/{company.referral.id}/resume").status_code == 200
    assert client.get("/referrals/queue").status_code == 403
    before = db_fingerprint()
    for path, data in (
        ("withdraw", {"reason": "Not mine to withdraw"}),
        ("advance", {"to_stage": "interviewing", "expected_from": "screening"}),
        ("left", {"left_on": "2026-01-01"}),
    ):
        response = client.post(f"/referrals/{company.referral.id}/{path}", data=data)
        assert response.status_code == 403, path
    assert db_fingerprint() == before


@pytest.mark.parametrize(
    ("who", "status", "sees_candidate"),
    [
        ("employee", 403, False),
        ("referrer", 403, False),
        ("manager", 200, False),
        ("hiring_manager", 200, True),
        ("hr", 200, False),  # this HR officer hires for no job; the queue is theirs
    ],
)
def test_the_hiring_page_lists_only_the_readers_own_jobs(
    client, company, who, status, sees_candidate
) -> None:
    login(client, company.user(who))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/referrals/hiring", headers=headers)
        assert response.status_code == status
        assert ("Secret Candidate Sun" in response.text) == sees_candidate


@pytest.mark.parametrize("who", NOT_OWNERS)
def test_no_page_an_outsider_can_reach_shows_the_candidate(client, company, who) -> None:
    referral_services.advance_stage(
        company.referral, Stage.SCREENING, company.hr, feedback="Feedback for Rita"
    )
    login(client, company.user(who))
    pages = [
        "/",
        "/jobs/",
        f"/jobs/{company.job.id}",
        "/notifications/",
        "/referrals/mine",
        f"/referrals/new/{company.job.id}",
        "/program/rules",
        "/settings",
    ]
    for path in pages:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, path
            leaked = [secret for secret in SECRETS if secret in response.text]
            assert not leaked, f"{path} shows {leaked}"
            assert "Feedback for Rita" not in response.text


def _notification(user_id: int, kind: str) -> Notification:
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    ).one()


def test_a_stage_notification_leads_its_reader_to_the_referral(client, company) -> None:
    referral_services.advance_stage(company.referral, Stage.SCREENING, company.hr)
    note = _notification(company.referrer.id, "referral_stage")
    login(client, company.referrer)
    response = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert response.status_code == 302
    assert response.location == f"/referrals/{company.referral.id}"
    assert client.get(response.location).status_code == 200


def test_hrs_received_notification_leads_hr_to_the_referral(client, company) -> None:
    note = _notification(company.hr.id, "referral_received")
    login(client, company.hr)
    response = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert response.location == f"/referrals/{company.referral.id}"
    assert client.get(response.location).status_code == 200


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("who", [*NOT_OWNERS, "referrer"])
def test_nobody_reads_or_follows_someone_elses_notification(client, company, who, htmx) -> None:
    note = _notification(company.hr.id, "referral_received")
    login(client, company.user(who))
    headers = {"HX-Request": "true"} if htmx else {}
    theirs = client.post(f"/notifications/{note.id}/read", data={"open": "1"}, headers=headers)
    missing = client.post(f"/notifications/{MISSING_ID}/read", data={"open": "1"}, headers=headers)
    assert theirs.status_code == 404
    assert same_response(theirs, missing)
    assert not any(secret in theirs.text for secret in SECRETS)
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_marking_all_read_touches_only_my_own_notifications(client, company) -> None:
    referral_services.advance_stage(company.referral, Stage.SCREENING, company.hr)
    login(client, company.employee)
    assert client.post("/notifications/read-all").status_code == 302
    db.session.expire_all()
    unread = db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert {n.user_id for n in unread} == {company.hr.id, company.referrer.id}


def test_internal_notes_are_for_hr_and_feedback_reaches_the_referrer(client, company) -> None:
    referral_services.advance_stage(
        company.referral,
        Stage.SCREENING,
        company.hr,
        internal_note="Salary expectations too high (HR only)",
        feedback="HR is reading the resume this week.",
    )
    login(client, company.referrer)
    page = client.get(f"/referrals/{company.referral.id}").text
    assert "HR is reading the resume this week." in page
    assert "Salary expectations too high" not in page
    login(client, company.hr)
    page = client.get(f"/referrals/{company.referral.id}").text
    assert "Salary expectations too high (HR only)" in page


@pytest.mark.parametrize("who", NOT_OWNERS)
def test_outsiders_cannot_withdraw_even_a_closed_referral(client, company, who) -> None:
    """A closed referral answers 409 to its referrer (htmx); outsiders still get the plain 404,
    and the hiring manager, who may read it, a 403."""
    referral_services.withdraw_referral(company.referral, company.referrer, "Took another offer")
    login(client, company.user(who))
    response = client.post(f"/referrals/{company.referral.id}/withdraw", data={"reason": "x"})
    assert response.status_code == (403 if who == "hiring_manager" else 404)
    login(client, company.referrer)
    response = client.post(
        f"/referrals/{company.referral.id}/withdraw",
        data={"reason": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409


def test_a_deactivated_referrers_referral_stays_visible_to_hr(client, company) -> None:
    company.referrer.is_active_account = False
    db.session.commit()
    login(client, company.hr)
    assert client.get(f"/referrals/{company.referral.id}").status_code == 200
    assert client.get(f"/referrals/{company.referral.id}/resume").status_code == 200
    assert db.session.get(Referral, company.referral.id).referrer_id == company.referrer.id


def test_my_referrals_as_htmx_fragment_lists_only_my_own(client, company: Company) -> None:
    login(client, company.employee)
    response = client.get("/referrals/mine?status=all", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not any(secret in response.text for secret in SECRETS)
