"""Login by default and CSRF on every state change, proven over the whole URL map: a route added
later is checked without anyone remembering to write a test for it."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from community import create_app
from community.accounts import passwords
from community.core.permissions import public
from community.notifications.categories import Category
from community.notifications.models import Notification
from tests.jobs.test_routes import job_form
from tests.program.test_routes import form_data as rules_form
from tests.referrals.factories import form_data as referral_form
from tests.security import policy
from tests.security.conftest import Company, db_fingerprint, login, methods_of, sample_path

NOTIFICATION_CATEGORIES = [category.value for category in Category]
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def all_rules(app: Flask) -> list[Any]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


# The URL map is reviewed --------------------------------------------------------------------


def test_every_endpoint_has_a_reviewed_access_rule(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unreviewed = sorted(endpoints - policy.ALL)
    assert not unreviewed, (
        f"add these endpoints to tests/security/policy.py under the rule they follow: {unreviewed}"
    )
    groups = [
        policy.PUBLIC,
        policy.ANY_USER,
        policy.HR_ONLY,
        policy.REFERRAL_SCOPED,
        policy.HIRING,
        policy.CHALLENGE_HOSTING,
        policy.PAIRING_SCOPED,
        policy.NETWORK_PRIVATE,
        policy.SHARING_SESSION,
        policy.SHARING_HOSTING,
        policy.FORUM_SCOPED,
        policy.FORUM_MODERATORS,
        policy.EARNER_ONLY,
    ]
    assert sum(len(group) for group in groups) == len(policy.ALL), "an endpoint is in two groups"


def test_only_the_reviewed_endpoints_opt_out_of_login(app: Flask) -> None:
    marked_public = {
        endpoint for endpoint, view in app.view_functions.items() if getattr(view, "_public", False)
    }
    assert marked_public == (policy.PUBLIC - {"static"}) & set(app.view_functions)


# Login required -----------------------------------------------------------------------------


def test_anonymous_requests_to_every_private_endpoint_are_sent_to_login(app: Flask, client) -> None:
    failures = []
    checked = 0
    for rule in all_rules(app):
        if rule.endpoint in policy.PUBLIC:
            continue
        path = sample_path(rule)
        for method in methods_of(rule):
            checked += 1
            # With a valid CSRF token, so that only the login check can stop the request.
            plain = client.open(path, method=method)
            next_target = parse_qs(urlsplit(plain.location or "").query).get("next", [""])[0]
            if (
                plain.status_code != 302
                or not plain.location.startswith("/login?")
                or not next_target.startswith(path)
            ):
                failures.append(f"{method} {path}: {plain.status_code} {plain.location}")
            htmx = client.open(path, method=method, headers={"HX-Request": "true"})
            if htmx.status_code != 401 or not htmx.headers.get("HX-Redirect", "").startswith(
                "/login?next="
            ):
                failures.append(f"htmx {method} {path}: {htmx.status_code}")
            if b"Payments" in plain.data + htmx.data:
                failures.append(f"{method} {path} leaked page content")
    assert checked >= 30
    assert not failures, "\n".join(failures)


def test_public_endpoints_answer_anonymous_visitors(client) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").data == b"ok"
    assert client.get("/").location.startswith("/login")
    assert client.get("/set-password/not-a-token").status_code == 404
    assert client.get("/static/js/app.js").status_code == 200


def _fresh_app(app: Flask) -> Flask:
    keys = (
        "TESTING",
        "SECRET_KEY",
        "SQLALCHEMY_DATABASE_URI",
        "REDIS_URL",
        "EMBEDDED_REDIS_DIR",
        "UPLOAD_FOLDER",
    )
    return create_app({key: app.config[key] for key in keys})


def test_a_route_added_without_public_needs_login_and_a_csrf_token(app: Flask) -> None:
    fresh = _fresh_app(app)

    @fresh.route("/brand-new", methods=["GET", "POST"])
    def brand_new() -> str:
        return "secret payroll"

    @fresh.get("/brand-new-public")
    @public
    def brand_new_public() -> str:
        return "hello"

    try:
        client = fresh.test_client()
        response = client.get("/brand-new")
        assert response.status_code == 302 and response.location.startswith("/login?next=")
        assert client.post("/brand-new").status_code == 400  # no CSRF token
        assert client.get("/brand-new-public").data == b"hello"
    finally:
        with fresh.app_context():
            from community.extensions import db

            db.engine.dispose()


# CSRF ---------------------------------------------------------------------------------------


def test_csrf_protection_is_global_with_no_exemptions(app: Flask) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True
    assert set(app.config.get("WTF_CSRF_METHODS") or STATE_CHANGING) >= STATE_CHANGING
    csrf = app.extensions["csrf"]
    # The reviewed exemptions: RFC 8058's one-click unsubscribe, posted by a mail provider
    # with no session; the signed token in its URL is the proof (tests/mail/test_unsubscribe.py).
    # An ATS's webhook, with no session either: its Standard Webhooks signature is the proof
    # (tests/webhooks/test_inbound.py).
    assert csrf._exempt_views == {
        "community.mail.routes.one_click",
        "community.webhooks.routes.ats",
    }
    # The JSON API, authenticated by a bearer token and never by a cookie (policy.API_BEARER).
    assert {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints} == {"api_v1"}


def _plausible_requests(company: Company) -> dict[str, tuple[dict[str, Any], Callable[[], Any]]]:
    """For each state-changing endpoint: URL values and form data that would change something
    if the request were accepted, so that a refusal is the only reason nothing changes."""
    with_token = passwords.issue_password_link(company.employee)[0]
    hr_notification = Notification.query.filter_by(user_id=company.hr.id).first()
    assert hr_notification is not None
    csv = "email,name,department,role\nimported@example.com,Imported,Engineering,hr\n"
    return {
        "accounts.login": (
            {},
            lambda: {"email": company.employee.email, "password": "password123"},
        ),
        "accounts.logout": ({}, dict),
        "accounts.set_language": ({}, lambda: {"locale": "zh_CN"}),
        "accounts.set_password": (
            {"token": with_token},
            lambda: {"password": "brand-new-password", "confirm": "brand-new-password"},
        ),
        "accounts.settings": ({}, lambda: {"display_name": "Hacked", "locale": "zh_CN"}),
        "people.new": (
            {},
            lambda: {
                "email": "new.hr@example.com",
                "name": "New HR",
                "department": str(company.department.id),
                "role": "hr",
            },
        ),
        "people.import_csv": ({}, lambda: {"file": (io.BytesIO(csv.encode()), "people.csv")}),
        "people.departments": ({}, lambda: {"name": "Forged Department"}),
        "people.deactivate": ({"user_id": company.employee.id}, dict),
        "people.reactivate": ({"user_id": company.employee.id}, dict),
        "people.update_account": (
            {"user_id": company.employee.id},
            lambda: {"role": "hr", "department": str(company.department.id), "manager": ""},
        ),
        "people.password_link": ({"user_id": company.employee.id}, dict),
        "jobs.new": ({}, lambda: job_form(company.department.id, title="Forged Job")),
        "jobs.edit": (
            {"job_id": company.job.id},
            lambda: job_form(company.department.id, title="Forged Title"),
        ),
        "jobs.open": ({"job_id": company.draft_job.id}, dict),
        "jobs.close": ({"job_id": company.job.id}, dict),
        "notifications.read": ({"notification_id": hr_notification.id}, dict),
        "notifications.read_all": ({}, dict),
        "notifications.preferences": ({}, lambda: dict.fromkeys(NOTIFICATION_CATEGORIES, "off")),
        "program.edit_rules": ({}, lambda: rules_form(ownership_window_days="90")),
        "referrals.new": ({"job_id": company.job.id}, lambda: referral_form(company.job)),
        "referrals.advance": (
            {"referral_id": company.referral.id},
            lambda: {"to_stage": "screening", "expected_from": "submitted"},
        ),
        "referrals.left_company": (
            {"referral_id": company.referral.id},
            lambda: {"left_on": "2020-01-01"},
        ),
        "referrals.withdraw": ({"referral_id": company.referral.id}, lambda: {"reason": "Forged"}),
    }


@pytest.mark.parametrize("who", ["anonymous", "hr"])
def test_every_state_change_without_a_csrf_token_is_refused(app, client, company, who) -> None:
    if who == "hr":
        login(client, company.hr)  # HR may do everything: only the missing token can stop it
    plausible = _plausible_requests(company)
    before = db_fingerprint()
    failures = []
    checked = 0
    for rule in all_rules(app):
        if (
            rule.endpoint in ("mail.one_click", "webhooks.ats")
            or rule.endpoint in policy.API_BEARER
        ):
            continue  # exempt on purpose (above); forged tokens and signatures are refused in
            # tests/mail, tests/webhooks and tests/api
        for method in set(methods_of(rule)) & STATE_CHANGING:
            values, data = plausible.get(rule.endpoint, ({}, dict))
            path = sample_path(rule, values)
            for headers in ({}, {"HX-Request": "true"}, {"X-CSRFToken": "forged"}):
                checked += 1
                response = client.open(
                    path, method=method, data=data(), headers=headers, csrf=False
                )
                if response.status_code != 400:
                    failures.append(f"{method} {path} {headers}: {response.status_code}")
    assert checked >= 3 * len(plausible)
    assert not failures, "\n".join(failures)
    assert db_fingerprint() == before, "a request without a valid CSRF token changed the data"
    expected = 200 if who == "hr" else 302  # the HR session survived a forged logout
    assert client.get("/people").status_code == expected


def test_a_token_from_another_session_is_refused(app, client, new_client, company) -> None:
    login(client, company.referrer)
    other = login(new_client(), company.employee)
    foreign_token = other.csrf_token()
    response = client.post(
        f"/referrals/{company.referral.id}/withdraw",
        data={"reason": "Forged"},
        headers={"X-CSRFToken": foreign_token},
        csrf=False,
    )
    assert response.status_code == 400


def test_htmx_sends_the_pages_token_and_it_is_accepted(client, company) -> None:
    login(client, company.referrer)
    page = client.get("/notifications/").get_data(as_text=True)
    match = re.search(r"<body[^>]*hx-headers='([^']+)'", page)
    assert match, "the <body> carries no hx-headers"
    token = json.loads(html.unescape(match.group(1)))["X-CSRFToken"]
    response = client.post(
        "/notifications/read-all",
        headers={"HX-Request": "true", "X-CSRFToken": token},
        csrf=False,
    )
    assert response.status_code == 200 and 'id="notifications-board"' in response.get_data(
        as_text=True
    )


def test_plain_forms_carry_the_token_as_a_field(client, company) -> None:
    login(client, company.employee)
    page = client.get("/settings").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the settings form has no csrf_token field"
    response = client.post(
        "/settings",
        data={"csrf_token": match.group(1), "display_name": "Oscar", "locale": "en"},
        csrf=False,
    )
    assert response.status_code == 302
