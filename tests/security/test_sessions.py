"""Sessions: a deactivated person's live session stops on their next request, logging out really
ends a session, and login is rate-limited per address in Redis, without trusting proxy headers."""

from __future__ import annotations

import pytest
from flask import Flask

from community import create_app
from community.extensions import db, redis_store
from community.referrals.models import Referral, Stage
from tests.factories import make_user
from tests.security.conftest import db_fingerprint, login

OFFICE = "192.0.2.10"


def _deactivate(new_client, company, person) -> None:
    hr = login(new_client(), company.hr)
    assert hr.post(f"/people/{person.id}/deactivate").status_code == 302


def test_a_deactivated_persons_session_stops_on_the_next_request(client, new_client, company):
    login(client, company.referrer)
    assert client.get("/referrals/mine").status_code == 200
    _deactivate(new_client, company, company.referrer)
    before = db_fingerprint()

    page = client.get("/referrals/mine")
    assert page.status_code == 302 and page.location.startswith("/login")
    htmx = client.get("/referrals/mine", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")
    assert client.get(f"/referrals/{company.referral.id}/resume").status_code == 302
    # A state change with a perfectly valid CSRF token is still refused.
    withdraw = client.post(
        f"/referrals/{company.referral.id}/withdraw", data={"reason": "Leaving myself"}
    )
    assert withdraw.status_code == 302 and withdraw.location.startswith("/login")
    assert db_fingerprint() == before
    assert db.session.get(Referral, company.referral.id).stage == Stage.SUBMITTED


def test_a_session_ended_by_deactivation_stays_ended_after_reactivation(
    client, new_client, company
):
    login(client, company.referrer)
    _deactivate(new_client, company, company.referrer)
    assert client.get("/referrals/mine").status_code == 302  # bounced once
    hr = login(new_client(), company.hr)
    assert hr.post(f"/people/{company.referrer.id}/reactivate").status_code == 302
    assert client.get("/referrals/mine").status_code == 302  # must log in again


def test_logout_is_a_post_and_ends_the_session(client, company) -> None:
    login(client, company.referrer)
    assert client.get("/logout").status_code == 405  # a link or <img> cannot log anyone out
    assert client.post("/logout").status_code == 302
    assert client.get("/referrals/mine").status_code == 302


def test_a_session_cookie_copied_before_logout_is_useless_after_it(client, company) -> None:
    login(client, company.referrer)
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    client.set_cookie("session", stolen)
    assert client.get("/referrals/mine").status_code == 302


# Rate limiting ------------------------------------------------------------------------------


def _attempt(app: Flask, email: str, password: str = "wrong-password", **headers: str):
    client = app.test_client()  # a fresh browser each time: no cookies to correlate
    client.environ_base["REMOTE_ADDR"] = OFFICE
    return client.post("/login", data={"email": email, "password": password}, headers=headers)


def test_login_attempts_are_limited_per_address_across_accounts(
    app: Flask, company, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_RATE_LIMIT", "10 per minute")
    emails = [f"nobody{n}@example.com" for n in range(10)]
    for email in emails:  # credential stuffing: one try per account
        assert _attempt(app, email).status_code == 401
    assert _attempt(app, company.employee.email, "password123").status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert (
        other.post(
            "/login", data={"email": company.employee.email, "password": "password123"}
        ).status_code
        == 302
    )


def test_spoofed_forwarding_headers_do_not_reset_the_limit(app: Flask, company) -> None:
    for n in range(10):
        response = _attempt(
            app, company.employee.email, **{"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": "1"}
        )
        assert response.status_code == 401
    blocked = _attempt(app, company.employee.email, **{"X-Forwarded-For": "203.0.113.99"})
    assert blocked.status_code == 429


def test_the_login_page_itself_is_not_limited(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = OFFICE
    for _ in range(15):
        assert client.get("/login").status_code == 200


def test_a_limited_htmx_login_gets_a_toast(app: Flask, company) -> None:
    for _ in range(10):
        _attempt(app, company.employee.email)
    response = _attempt(app, company.employee.email, **{"HX-Request": "true"})
    assert response.status_code == 429
    assert "toast" in response.headers["HX-Trigger"]
    assert response.headers["HX-Reswap"] == "none"


def test_the_limit_lives_in_redis_shared_by_every_instance(app: Flask, company) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "redis+unix://"))
    _attempt(app, company.employee.email)
    assert any("login" in key for key in redis_store.client.keys("*"))


def test_colleagues_sharing_an_address_can_all_log_in(app: Flask, company) -> None:
    people = [make_user() for _ in range(11)]
    statuses = [_attempt(app, person.email, "password123").status_code for person in people]
    assert statuses == [302] * 11


def test_behind_a_trusted_proxy_each_person_has_their_own_limit(app: Flask, company) -> None:
    """Behind a load balancer every request comes from the balancer's address; with
    TRUSTED_PROXIES=1 the limit counts the address it forwards, so one person's mistakes do not
    lock out the whole office — and a forged header from the person is still not trusted."""
    proxied = create_app({**app.config, "TRUSTED_PROXIES": 1, "LEADERBOARD_SYNC_ON_START": False})
    proxied.test_client_class = type(app.test_client())

    def attempt(forwarded_for: str) -> int:
        client = proxied.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the balancer
        data = {"email": company.employee.email, "password": "wrong-password"}
        return client.post(
            "/login", data=data, headers={"X-Forwarded-For": forwarded_for}
        ).status_code

    assert [attempt("203.0.113.1") for _ in range(10)] == [401] * 10
    assert attempt("203.0.113.1") == 429
    assert attempt("203.0.113.2") == 401  # someone else behind the same balancer
    assert attempt("198.51.100.9, 203.0.113.1") == 429  # a forged first hop changes nothing
