"""Trying to break in: IDOR on every id-taking URL, mass assignment, htmx headers used to reach
HR actions or fragments, and open redirects through every "next"/"back" parameter."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from community.accounts.models import Role, User
from community.challenges.rules import PrizeFields
from community.core.time import local_today, utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.payouts.models import Payout
from community.perks import pictures as perk_pictures
from community.perks import services as perk_services
from community.referrals import services as referral_services
from community.referrals.models import Referral, Stage
from community.thanks.services import thank_gold_tier
from tests.challenges.factories import make_challenge
from tests.factories import make_job
from tests.perks.factories import give_points, make_perk, png_bytes
from tests.referrals.factories import form_data as referral_form
from tests.referrals.factories import make_referral
from tests.security import policy
from tests.security.analytics_cases import ANALYTICS_MATRIX, Row
from tests.security.api_cases import hrs_token, plain_token
from tests.security.conftest import (
    Company,
    db_fingerprint,
    login,
    methods_of,
    same_response,
    sample_path,
)
from tests.security.credentials_cases import referrers_award
from tests.security.forum_cases import deleted_topic, forum_category
from tests.security.invites_cases import referrers_invitation
from tests.security.links_cases import referrers_code, referrers_link
from tests.security.mail_cases import referrers_mail
from tests.security.mentoring_cases import strangers_pairing
from tests.security.network_cases import referrers_contact
from tests.security.teamchat_cases import robot_of
from tests.security.webhooks_cases import delivery_of, endpoint_of, secret_of, source_of
from tests.sharing.conftest import make_session

MISSING_ID = 987654


def someone_elses(company: Company, argument: str, endpoint: str = "") -> int:
    """For each id a URL can take: a record that is not the (non-HR) visitor's to see or change."""
    hr_notification = db.session.scalars(
        select(Notification).where(Notification.user_id == company.hr.id)
    ).first()
    assert hr_notification is not None
    ids = {
        "referral_id": company.referral.id,
        "user_id": company.referrer.id,
        "job_id": company.draft_job.id,
        "notification_id": hr_notification.id,
        "department_id": company.referrer.department_id,  # only HR renames a department
    }
    if argument == "payout_id":
        ids["payout_id"] = _referrers_payout(company)
    if argument == "post_id" and endpoint.startswith(("forum.", "forum_moderation.")):
        ids["post_id"] = deleted_topic(company)[1]  # a post of the referrer's deleted topic
    elif argument == "post_id":  # a thanks-wall post: only HR may hide it
        ids["post_id"] = _referrers_thanks(company)
    if argument == "topic_id":  # the referrer's deleted forum topic: 404 like a missing one
        ids["topic_id"] = deleted_topic(company)[0]
    if argument == "category_id":  # only HR changes a forum category
        ids["category_id"] = forum_category(company)
    if argument == "perk_id":
        ids["perk_id"] = _hidden_perk(company)
    if argument == "redemption_id":
        ids["redemption_id"] = _referrers_redemption(company)
    if argument in ("challenge_id", "prize_id"):  # HR's draft and its prize: theirs to change
        ids["challenge_id"], ids["prize_id"] = _hrs_draft_challenge(company)
    if argument == "pairing_id":  # two other people's pairing: theirs and HR's only
        ids["pairing_id"] = strangers_pairing(company)
    if argument == "mentor_id":  # someone who offers no mentoring answers like nobody
        ids["mentor_id"] = company.referrer.id
    if argument == "contact_id":  # the referrer's private contact: theirs alone
        ids["contact_id"] = referrers_contact(company)
    if argument == "session_id":  # HR's session: everyone reads it, only HR manages it
        ids["session_id"] = _hrs_session(company)
    if argument == "robot_id":  # a team chat robot: HR's only
        ids["robot_id"] = robot_of(company)
    if argument == "email_id":  # a mail in the outbox: HR's to read
        ids["email_id"] = referrers_mail(company)
    if argument == "invitation_id":  # the referrer's invitation: theirs alone, not even HR's
        ids["invitation_id"] = referrers_invitation(company)
    if argument == "code_id":  # the referrer's referral code: only HR switches someone's
        ids["code_id"] = referrers_code(company)
    if argument == "link_id":  # the referrer's link for a job: only HR switches someone's
        ids["link_id"] = referrers_link(company)
    if argument == "award_id":  # the referrer's badge: only they export it, only HR revokes it
        ids["award_id"] = referrers_award(company)
    if argument in ("source_id", "secret_id"):  # an ATS source and its secret: HR's only
        ids["source_id"], ids["secret_id"] = source_of(company), secret_of(company)
    if argument in ("endpoint_id", "delivery_id"):  # an outbound endpoint, its log: HR's only
        ids["endpoint_id"], ids["delivery_id"] = endpoint_of(company), delivery_of(company)
    if argument == "token_id":  # HR's API token: only HR revokes it
        ids["token_id"] = hrs_token(company)
    assert argument in ids, f"tests/security: say whose record a URL's {argument!r} names"
    return ids[argument]


def _hrs_session(company: Company) -> int:
    """A sharing session HR hosts (made once per test)."""
    if "session_id" not in company.__dict__:
        company.__dict__["session_id"] = make_session(company.hr).id
    return company.__dict__["session_id"]


def _referrers_payout(company: Company) -> int:
    """The referrer's payout for a second referral walked to "hired" (made once per test)."""
    if "payout_id" not in company.__dict__:
        referral = make_referral(company.referrer, company.job)
        for stage in (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
            referral_services.advance_stage(
                referral, stage, company.hr, expected_from=referral.stage, start_date=local_today()
            )
        company.__dict__["payout_id"] = db.session.scalars(
            select(Payout.id).where(Payout.referral_id == referral.id)
        ).one()
    return company.__dict__["payout_id"]


def _referrers_thanks(company: Company) -> int:
    """A gold-tier thank-you for the referrer (made once per test)."""
    if "post_id" not in company.__dict__:
        company.__dict__["post_id"] = thank_gold_tier(company.referrer, "gold", utcnow()).id
        db.session.commit()
    return company.__dict__["post_id"]


def _hidden_perk(company: Company) -> int:
    """A perk HR took out of the shop (with a picture): employees see it no more than a missing one."""
    if "hidden_perk_id" not in company.__dict__:
        perk = make_perk(active=False)
        checked = perk_pictures.check_picture(io.BytesIO(png_bytes()))
        perk.picture_file = perk_pictures.store_picture(checked)
        perk.picture_mimetype = checked.mimetype
        db.session.commit()
        company.__dict__["hidden_perk_id"] = perk.id
    return company.__dict__["hidden_perk_id"]


def _referrers_redemption(company: Company) -> int:
    """The referrer's pending redemption (made once per test)."""
    if "redemption_id" not in company.__dict__:
        perk = make_perk(cost_points=10)
        give_points(company.referrer, 10)
        company.__dict__["redemption_id"] = perk_services.redeem(company.referrer, perk.id).id
    return company.__dict__["redemption_id"]


def _hrs_draft_challenge(company: Company) -> tuple[int, int]:
    """A draft challenge HR hosts, with a prize (made once per test)."""
    if "challenge_ids" not in company.__dict__:
        challenge = make_challenge(
            company.hr, schedule=False, prizes=[PrizeFields(rank_from=1, points=10)]
        )
        company.__dict__["challenge_ids"] = (challenge.id, challenge.prizes[0].id)
    return company.__dict__["challenge_ids"]


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_no_id_taking_url_reveals_or_changes_someone_elses_record(
    app: Flask, client, company, who
) -> None:
    """Every URL with an id, every method: someone else's record answers exactly like a missing one
    (403 or 404), and nothing is written."""
    login(client, company.user(who))
    _referrers_payout(company)
    _referrers_thanks(company)
    _hidden_perk(company)
    _referrers_redemption(company)
    _hrs_draft_challenge(company)
    strangers_pairing(company)
    _hrs_session(company)
    robot_of(company)
    secret_of(company)
    delivery_of(company)
    deleted_topic(company)
    referrers_contact(company)
    referrers_link(company)
    referrers_mail(company)
    referrers_invitation(company)
    referrers_award(company)
    hrs_token(company)
    failures = []
    checked = 0
    before = db_fingerprint()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        int_args = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)]  # noqa: SLF001
        if not int_args or rule.endpoint in policy.COLLEAGUE_PAGES | policy.API_BEARER:
            continue  # (the API's ids: a session is no key there, see the test below)
        theirs_path = sample_path(
            rule, {a: someone_elses(company, a, rule.endpoint) for a in int_args}
        )
        missing_path = sample_path(rule, dict.fromkeys(int_args, MISSING_ID))
        for method in methods_of(rule):
            checked += 1
            data = {"reason": "x", "to_stage": "hired", "left_on": "2020-01-01", "open": "1"}
            for headers in ({}, {"HX-Request": "true"}):
                kwargs: dict[str, Any] = {"method": method, "headers": headers}
                if method != "GET":
                    kwargs["data"] = data
                theirs = client.open(theirs_path, **kwargs)
                missing = client.open(missing_path, **kwargs)
                if theirs.status_code not in (403, 404) or not same_response(theirs, missing):
                    failures.append(
                        f"{method} {theirs_path} {headers}: {theirs.status_code}"
                        f" (missing: {missing.status_code})"
                    )
    assert checked >= 10
    assert not failures, "\n".join(failures)
    assert db_fingerprint() == before


def test_no_api_url_tells_an_existing_id_from_a_missing_one_without_the_key(
    app: Flask, company
) -> None:
    """Every API URL with an id: without a token (401), with a forged one (401) and with a token
    lacking the scope (403), a real record answers exactly like a missing one, and nothing is
    written. (HR's token with the scope sees every record: HR sees them all in the app too.)"""
    client = app.test_client(use_cookies=False)
    keys = {
        "none": None,
        "forged": "rc_0123456789ab_" + "A" * 43,
        "unscoped": plain_token(company, "people:read"),
    }
    hired_payout = _referrers_payout(company)
    assert hired_payout
    failures = []
    checked = 0
    before = db_fingerprint()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        int_args = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)]  # noqa: SLF001
        if not int_args or rule.endpoint not in policy.API_BEARER:
            continue
        theirs_path = sample_path(rule, {a: someone_elses(company, a) for a in int_args})
        missing_path = sample_path(rule, dict.fromkeys(int_args, MISSING_ID))
        for method in methods_of(rule):
            for name, key in keys.items():
                checked += 1
                headers = {"Authorization": f"Bearer {key}"} if key else {}
                kwargs: dict[str, Any] = {"method": method, "headers": headers, "csrf": False}
                if method != "GET":
                    kwargs["json"] = {"to_stage": "hired", "start_date": "2026-01-01"}
                theirs = client.open(theirs_path, **kwargs)
                missing = client.open(missing_path, **kwargs)
                expected = 403 if name == "unscoped" else 401
                if theirs.status_code != expected or not same_response(theirs, missing):
                    failures.append(f"{name} {method} {theirs_path}: {theirs.status_code}")
    assert checked >= 9
    assert not failures, "\n".join(failures)
    # Only the unscoped token's "last used" moved: no record was read into an answer or changed.
    after = "\n".join(
        line for line in db_fingerprint().split("\n") if not line.startswith("api_tokens:")
    )
    assert after == "\n".join(
        line for line in before.split("\n") if not line.startswith("api_tokens:")
    )


@pytest.mark.parametrize("row", ANALYTICS_MATRIX, ids=lambda row: row.id)
def test_analytics_answers_each_reader_within_their_scope(client, company, row: Row) -> None:
    """Who reads which numbers (tests/security/analytics_cases.py): anonymous to the login, an
    employee their own, a manager their department (another one: 403 saying so), HR all; a
    forged id in a filter is a 400 naming the field, a draft job the same as a missing one."""
    path = row.path(company)
    if row.who:
        login(client, company.user(row.who))
    before = db_fingerprint()
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(path, headers=headers)
        expected = 401 if row.who is None and headers else row.status
        assert response.status_code == expected, (path, headers, response.text[:300])
        if not headers:  # (an htmx swap holds the numbers, not the page's heading)
            assert row.says in response.text
        if row.who != "hr":
            assert "Secret Draft" not in response.text and "Secret Candidate" not in response.text
    assert db_fingerprint() == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_referral_form_does_not_reveal_a_draft_job(client, company, method) -> None:
    login(client, company.employee)
    path = f"/referrals/new/{company.draft_job.id}"

    def data() -> dict[str, Any] | None:
        return referral_form(company.draft_job) if method == "POST" else None

    theirs = client.open(path, method=method, data=data())
    missing = client.open(f"/referrals/new/{MISSING_ID}", method=method, data=data())
    assert "Unannounced Draft Job" not in theirs.text
    assert theirs.status_code == 404 and same_response(theirs, missing)


def test_the_match_hint_does_not_confirm_a_draft_job_exists(client, company) -> None:
    login(client, company.employee)
    theirs = client.get(f"/referrals/new/{company.draft_job.id}/match")
    missing = client.get(f"/referrals/new/{MISSING_ID}/match")
    assert theirs.status_code == 404 and same_response(theirs, missing)


def test_hr_may_still_open_the_referral_form_of_a_draft(client, company) -> None:
    """HR sees drafts everywhere; the draft is refused as "not open", not hidden."""
    login(client, company.hr)
    response = client.get(f"/referrals/new/{company.draft_job.id}")
    assert response.status_code == 409
    assert "Unannounced Draft Job" in response.text


# Mass assignment ----------------------------------------------------------------------------


def test_settings_ignore_fields_that_are_not_on_the_form(client, company) -> None:
    employee = company.employee
    other_department = make_job().department
    login(client, employee)
    response = client.post(
        "/settings",
        data={
            "display_name": "Oscar",
            "locale": "en",
            "role": "hr",
            "email": "ceo@example.com",
            "department_id": str(other_department.id),
            "is_active_account": "0",
            "password_hash": "x",
            "id": str(company.hr.id),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    employee = db.session.get(User, employee.id)
    assert employee.display_name == "Oscar"
    assert employee.role == Role.EMPLOYEE
    assert employee.email != "ceo@example.com"
    assert employee.department_id == company.department.id
    assert employee.is_active_account and employee.check_password("password123")
    assert db.session.get(User, company.hr.id).display_name is None
    assert client.get("/people").status_code == 403


def test_a_referral_form_cannot_set_owner_stage_bonus_or_stored_file(client, company) -> None:
    other_job = make_job(title="Other Job", bonus_minor=1)
    login(client, company.employee)
    data = referral_form(
        company.job,
        referrer_id=str(company.referrer.id),
        job_id=str(other_job.id),
        stage="hired",
        bonus_minor="99999999",
        bonus_currency="USD",
        owned_until="2999-01-01",
        resume_file="../../community/__init__.py",
        consent_confirmed_at="2000-01-01",
        review_due_at="2999-01-01",
    )
    response = client.post(f"/referrals/new/{company.job.id}", data=data)
    assert response.status_code == 302, response.text[:500]
    referral = db.session.scalars(
        select(Referral).where(Referral.referrer_id == company.employee.id)
    ).one()
    assert referral.job_id == company.job.id
    assert referral.stage == Stage.SUBMITTED
    assert (referral.bonus_minor, referral.bonus_currency) == (
        company.job.bonus_minor,
        company.job.bonus_currency,
    )
    assert referral.resume_file and "/" not in referral.resume_file
    assert referral.owned_until.year < 2999


def test_withdrawing_cannot_smuggle_another_stage(client, company) -> None:
    login(client, company.referrer)
    response = client.post(
        f"/referrals/{company.referral.id}/withdraw",
        data={"reason": "Changed their mind", "to_stage": "hired", "expected_from": "submitted"},
    )
    assert response.status_code == 302
    assert db.session.get(Referral, company.referral.id).stage == Stage.WITHDRAWN


# htmx ---------------------------------------------------------------------------------------

HTMX_ROW = {
    "HX-Request": "true",
    "HX-Target": "referral-1",
    "HX-Trigger": "advance",
    "HX-Current-URL": "http://localhost/referrals/queue",
}


@pytest.mark.parametrize("who", ["referrer", "employee", "manager", "hiring_manager"])
@pytest.mark.parametrize("boosted", [False, True], ids=["fragment", "boosted"])
def test_stage_moves_through_htmx_are_still_hr_only(client, company, who, boosted) -> None:
    login(client, company.user(who))
    headers = dict(HTMX_ROW, **({"HX-Boosted": "true"} if boosted else {}))
    before = db_fingerprint()
    for path, data in (
        (
            f"/referrals/{company.referral.id}/advance",
            {"to_stage": "hired", "target": "row", "next": "/referrals/queue"},
        ),
        (f"/referrals/{company.referral.id}/left", {"left_on": "2020-01-01", "target": "row"}),
    ):
        response = client.post(path, data=data, headers=headers)
        assert response.status_code == 403
        assert "<tr" not in response.text
        assert "Secret Candidate" not in response.text
    assert db_fingerprint() == before


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_htmx_fragments_leak_nothing_to_non_hr(client, company, who) -> None:
    login(client, company.user(who))
    fragment = {"HX-Request": "true"}
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    for path in ("/people?q=Rita", "/jobs/manage?status=draft", "/referrals/queue"):
        for headers in (fragment, restore):
            response = client.get(path, headers=headers)
            assert response.status_code == 403, path
            assert "Rita" not in response.text and "Unannounced" not in response.text
    results = client.get("/jobs/?q=Unannounced", headers=fragment)
    assert results.status_code == 200
    assert "Unannounced Draft Job" not in results.text


# Open redirects -----------------------------------------------------------------------------

HOSTILE_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    " //evil.example/",
]


def assert_same_site(location: str | None) -> None:
    assert location is not None
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    # A backslash would act as a slash in browsers; Werkzeug sends it percent-encoded (a path).
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_never_redirects_off_site(client, company, target) -> None:
    response = client.post(
        f"/login?next={quote(target, safe='')}",
        data={"email": company.employee.email, "password": "password123"},
    )
    assert response.status_code == 302
    assert_same_site(response.location)


def test_login_follows_a_same_site_next(client, company) -> None:
    response = client.post(
        f"/login?next={quote('/referrals/mine?status=active', safe='')}",
        data={"email": company.employee.email, "password": "password123"},
    )
    assert response.location == "/referrals/mine?status=active"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_other_next_parameters_never_redirect_off_site(client, company, target) -> None:
    login(client, company.referrer)
    language = client.post("/language", data={"locale": "en", "next": target})
    assert_same_site(language.location)
    withdraw = client.post(
        f"/referrals/{company.referral.id}/withdraw", data={"reason": "Moved", "next": target}
    )
    assert_same_site(withdraw.location)
    login(client, company.hr)
    deactivate = client.post(f"/people/{company.employee.id}/deactivate", data={"next": target})
    assert_same_site(deactivate.location)
    closing = client.post(f"/jobs/{company.job.id}/close", data={"next": target})
    assert_same_site(closing.location)
