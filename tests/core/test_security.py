"""Security baseline: login by default, CSRF on every state change, headers, friendly errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from community.config import load_config
from tests.factories import make_user


def test_pages_need_login(client) -> None:
    response = client.get("/jobs/")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/jobs/")


def test_htmx_request_without_login_is_redirected_by_htmx(client) -> None:
    response = client.get("/jobs/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_post_without_csrf_token_is_refused(client, auth) -> None:
    user = make_user()
    auth.login(user)
    response = client.post("/language", data={"locale": "en"}, csrf=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True) or "安全" in response.get_data(
        as_text=True
    )


def test_login_without_csrf_token_is_refused(client) -> None:
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": "password123"}, csrf=False
    )
    assert response.status_code == 400


def test_security_headers(client) -> None:
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client) -> None:
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "password123"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_friendly_404_in_users_language(client, auth) -> None:
    auth.login(make_user(locale="en"))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client) -> None:
    user = make_user()
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": "password123"}
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="too short"):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True


def test_development_secret_is_kept_in_instance_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COMMUNITY_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert load_config(tmp_path)["SECRET_KEY"] == first


def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
