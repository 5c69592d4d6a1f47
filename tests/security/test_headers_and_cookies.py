"""Session cookie settings (development and production), security headers on every kind of
response, a strict Content-Security-Policy the pages actually respect, and no caching of private
pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from community import create_app
from community.config import load_config
from community.extensions import db
from tests.security.conftest import login

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


# Cookies ------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_lax_and_not_remembered(client, company) -> None:
    response = client.post(
        "/login", data={"email": company.employee.email, "password": "password123"}
    )
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # development over plain http must still work
    # No long-lived "remember me" cookie is ever handed out (only ever cleared).
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token")]
    assert all(c.startswith("remember_token=;") and "Max-Age=0" in c for c in remember)


def test_production_configuration_secures_every_cookie(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


@pytest.fixture
def production_app(app: Flask, monkeypatch) -> Flask:
    """A second app instance configured as production, on the same database and Redis."""
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    keys = ("SQLALCHEMY_DATABASE_URI", "REDIS_URL", "EMBEDDED_REDIS_DIR", "UPLOAD_FOLDER")
    production = create_app({"SECRET_KEY": "p" * 48, **{key: app.config[key] for key in keys}})
    yield production
    with production.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_sends_secure_cookies_and_hsts(production_app: Flask, company) -> None:
    client = production_app.test_client()
    page = client.get("/login", base_url="https://localhost")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login form"
    response = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
        data={
            "csrf_token": token.group(1),
            "email": company.employee.email,
            "password": "password123",
        },
    )
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


# Headers ------------------------------------------------------------------------------------


def _responses(client, company):
    """One response of every kind: page, fragment, redirect, 401/403/404, file, static, error."""
    yield "anonymous redirect", client.get("/jobs/")
    yield "anonymous htmx 401", client.get("/jobs/", headers={"HX-Request": "true"})
    yield "login page", client.get("/login")
    yield "health", client.get("/healthz")
    yield "static", client.get("/static/js/app.js")
    login(client, company.referrer)
    yield "page", client.get("/jobs/")
    yield "fragment", client.get("/jobs/?q=x", headers={"HX-Request": "true"})
    yield "403", client.get("/people")
    yield "403 htmx", client.get("/people", headers={"HX-Request": "true"})
    yield "404", client.get("/no-such-page")
    yield "405", client.get("/logout")
    yield "resume", client.get(f"/referrals/{company.referral.id}/resume")
    yield "redirect", client.post("/notifications/read-all")


def test_every_kind_of_response_has_the_security_headers(client, company) -> None:
    for label, response in _responses(client, company):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, f"{label}: {name}"
        csp = csp_directives(response.headers["Content-Security-Policy"])
        assert csp["frame-ancestors"] == ["'none'"], label


def test_the_content_security_policy_is_strict(client) -> None:
    csp = csp_directives(client.get("/login").headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+|hx-on[:\-\w]*)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize("who", ["referrer", "hr"])
def test_pages_need_no_inline_script_the_policy_would_block(client, company, who) -> None:
    """script-src 'self' blocks inline scripts, on* handlers and hx-on; no page may rely on them."""
    login(client, company.user(who))
    paths = [
        "/",
        "/jobs/",
        f"/jobs/{company.job.id}",
        "/notifications/",
        "/program/rules",
        "/settings",
        "/referrals/mine",
        f"/referrals/new/{company.job.id}",
        f"/referrals/{company.referral.id}",
    ]
    if who == "hr":
        paths += [
            "/people",
            "/people/new",
            "/people/import",
            "/people/departments",
            "/jobs/manage",
            "/jobs/new",
            f"/jobs/{company.job.id}/edit",
            "/program/rules/edit",
            "/referrals/queue",
        ]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert not INLINE_SCRIPT.search(page.text), f"{path}: inline <script>"
        handler = INLINE_HANDLER.search(page.text)
        assert not handler, f"{path}: inline handler {handler.group(1) if handler else ''}"
        assert not JAVASCRIPT_URL.search(page.text), f"{path}: javascript: URL"


def test_private_pages_are_never_stored_by_caches(client, company) -> None:
    login(client, company.referrer)
    for path in ("/", "/referrals/mine", f"/referrals/{company.referral.id}", "/notifications/"):
        response = client.get(path)
        assert "no-store" in response.headers["Cache-Control"], path
        assert "private" in response.headers["Cache-Control"], path


def test_pages_that_answer_htmx_with_a_fragment_vary_on_it(client, company) -> None:
    """A cache must never hand the fragment to a full-page request (or the other way round)."""
    login(client, company.hr)
    for path in ("/jobs/", "/people", "/jobs/manage"):
        assert "HX-Request" in client.get(path).headers.get("Vary", ""), path


def test_the_resume_download_is_never_stored_by_caches(client, company) -> None:
    login(client, company.referrer)
    response = client.get(f"/referrals/{company.referral.id}/resume")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
