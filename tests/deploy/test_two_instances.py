"""The app as two stateless instances: two gunicorn processes of `wsgi:app` on two loopback ports,
sharing the test's PostgreSQL database and Redis server and nothing else (README, "Running in
production"). A session started on one is valid on the other, points given through one are on the
other's leaderboard at once, the login rate limit is counted across both, and parallel redemptions
split between them never overdraw a balance.

Skipped unless the suite runs on PostgreSQL and a Redis server (TEST_DATABASE_URL and
TEST_REDIS_URL): SQLite and the embedded Redis belong to one machine's one instance.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import IO
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from limits import parse as parse_limit
from sqlalchemy import func, select, text

from community.accounts.models import Role, User
from community.config import DEFAULTS
from community.extensions import db
from community.perks.models import Redemption
from tests.factories import PASSWORD, make_department, make_user
from tests.perks.factories import give_points, make_perk

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30  # each instance answers /healthz within this, or the test fails
PORT_ATTEMPTS = 3  # a free port another process took before gunicorn bound it: pick another
REQUEST_SECONDS = 30
WORKERS_PER_INSTANCE = 2

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')  # <body hx-headers=…> on every page
BOARD_ROW = re.compile(
    r'data-testid="board-row">.*?data-testid="person-link">([^<]*)</a>'
    r'.*?<td class="text-end font-monospace">([^<]*)</td>',
    re.S,
)


# Two gunicorn instances ----------------------------------------------------------------------


@dataclass
class Instance:
    """One gunicorn process of the app (`WORKERS_PER_INSTANCE` workers) on 127.0.0.1:`port`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- instance {self.name} (port {self.port}), {self.log_path}:\n" + "\n".join(tail)


def _requirements(app: Flask) -> str | None:
    """Why these tests cannot run against this suite's database and Redis (None: they can)."""
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if not database.startswith("postgresql"):
        return (
            f"two instances share one PostgreSQL database; this run uses "
            f"{database.split(':', 1)[0]} (set TEST_DATABASE_URL=postgresql://…)"
        )
    if not app.config.get("REDIS_URL"):
        return (
            "two instances share one Redis server; this run uses the embedded one of a single "
            "instance (set TEST_REDIS_URL=redis://…)"
        )
    return None


def _instance_environment(app: Flask, workdir: Path) -> dict[str, str]:
    """The environment of both instances: the test app's database, Redis and secret key, and
    every setting the environment gives (config.DEFAULTS) as the test app has it."""
    env = dict(os.environ)
    env.pop("GUNICORN_CMD_ARGS", None)
    for key in DEFAULTS:
        value = app.config[key]
        env[key] = str(value).lower() if isinstance(value, bool) else str(value)
    env.update(
        COMMUNITY_ENV="development",  # plain http on loopback: no Secure cookies, no HSTS
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=app.config["REDIS_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        UPLOAD_FOLDER=str(workdir / "uploads"),
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _launch(name: str, env: dict[str, str], workdir: Path) -> Instance:
    port = _free_port()
    log_path = workdir / f"gunicorn-{name}-{port}.log"
    log = log_path.open("ab")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn",
            "--workers", str(WORKERS_PER_INSTANCE),
            "--bind", f"127.0.0.1:{port}",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Instance(name, port, process, log_path, log)


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status == 200 and response.read() == b"ok"
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _wait_until_healthy(instance: Instance, deadline: float) -> bool:
    """Poll /healthz until it answers (True) or the process exits (False); fail at `deadline`."""
    while time.monotonic() < deadline:
        if _healthy(instance.port):
            return True
        try:
            instance.process.wait(timeout=0.1)  # the pause between polls, and an exit noticed
        except subprocess.TimeoutExpired:
            continue
        return False
    pytest.fail(f"instance {instance.name} did not answer /healthz in time\n{instance.log_tail()}")


def _stop(instance: Instance) -> None:
    if instance.process.poll() is None:
        instance.process.terminate()  # gunicorn's graceful stop (SIGTERM)
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()
            instance.process.wait(timeout=10)
    instance.log.close()


@pytest.fixture(scope="module")
def instances(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Instance]]:
    """Instances A and B, both answering /healthz; stopped after the module's tests."""
    reason = _requirements(app)
    if reason:
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("two-instances")
    env = _instance_environment(app, workdir)
    started: list[Instance] = []
    try:
        running = [_launch(name, env, workdir) for name in ("A", "B")]  # start both at once
        started += running
        deadline = time.monotonic() + STARTUP_SECONDS
        ready: list[Instance] = []
        for instance in running:
            for attempt in range(1, PORT_ATTEMPTS + 1):
                if _wait_until_healthy(instance, deadline):
                    break
                # It exited before answering: its port was taken meanwhile, or it failed.
                failed = instance.log_tail()
                _stop(instance)
                if attempt == PORT_ATTEMPTS:
                    pytest.fail(f"instance {instance.name} exited before it answered\n{failed}")
                instance = _launch(instance.name, env, workdir)
                started.append(instance)
            ready.append(instance)
        yield ready
    finally:
        for instance in started:
            _stop(instance)


# A small HTTP client -------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: Message
    text: str
    instance: str

    @property
    def location(self) -> str:
        """The redirect target's path (and query)."""
        parts = urlsplit(self.headers.get("Location", ""))
        return f"{parts.path}?{parts.query}" if parts.query else parts.path


@dataclass
class Browser:
    """A person's browser: it keeps cookies per host (127.0.0.1, whichever port, as a browser does
    for two instances behind one name) and never follows redirects."""

    cookies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(
        self,
        instance: Instance,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        keep_cookies: bool = True,
    ) -> Answer:
        with self.lock:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"User-Agent": "two-instances-test", "Accept-Language": "en"}
        if cookie:
            headers["Cookie"] = cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=REQUEST_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                response.status, response.headers, response.read().decode(), instance.name
            )
        finally:
            connection.close()
        if keep_cookies:
            self._keep(answer.headers.get_all("Set-Cookie") or [])
        return answer

    def _keep(self, set_cookies: list[str]) -> None:
        with self.lock:
            for header in set_cookies:
                pair, *attributes = header.split(";")
                name, _, value = pair.strip().partition("=")
                expired = any(a.strip().lower() == "max-age=0" for a in attributes)
                if expired or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value

    def get(self, instance: Instance, path: str) -> Answer:
        return self.request(instance, "GET", path)

    def post(self, instance: Instance, path: str, form: dict[str, str], **kw: bool) -> Answer:
        return self.request(instance, "POST", path, form, **kw)

    def csrf_token(self, instance: Instance, path: str) -> str:
        """The CSRF token of the page at `path` (a form's, or the one htmx sends)."""
        page = self.get(instance, path)
        assert page.status == 200, f"GET {path} on {instance.name}: {page.status} {page.location}"
        found = CSRF_FIELD.search(page.text) or CSRF_HEADER.search(page.text)
        assert found, f"no CSRF token on {path} ({instance.name})"
        return found.group(1)

    def log_in(self, instance: Instance, user: User) -> Answer:
        token = self.csrf_token(instance, "/login")
        form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        answer = self.post(instance, "/login", form)
        assert answer.status == 302, f"login of {user.email} on {instance.name}: {answer.status}"
        return answer


def board_rows(html: str) -> list[tuple[str, int]]:
    """(name, points) of every row of a leaderboard page, first place first."""
    return [
        (name.strip(), int(points.replace(",", ""))) for name, points in BOARD_ROW.findall(html)
    ]


def logs(instances: list[Instance]) -> str:
    return "\n".join(instance.log_tail() for instance in instances)


# The tests ----------------------------------------------------------------------------------


def test_a_session_started_on_a_is_valid_on_b_and_ended_on_both(
    instances: list[Instance],
) -> None:
    a, b = instances
    person = make_user(name="Alex Anywhere")
    browser = Browser()
    anonymous = browser.get(b, "/")
    assert anonymous.status == 302 and anonymous.location.startswith("/login")

    # The CSRF token and the session cookie of A's login form and login are taken by B.
    login = browser.log_in(a, person)
    assert login.location == "/"
    home = browser.get(b, "/")
    assert home.status == 200, f"B answered {home.status} {home.location}\n{logs(instances)}"
    assert "Alex Anywhere" in home.text
    assert browser.get(b, "/login").location == "/"  # B knows who is logged in

    # A CSRF token of B's page is good on A: logging out there ends the session on both.
    stolen = Browser(cookies=dict(browser.cookies))
    token = browser.csrf_token(b, "/points/")
    logout = browser.post(a, "/logout", {"csrf_token": token})
    assert logout.status == 302 and logout.location.startswith("/login")
    for instance in instances:
        again = stolen.get(instance, "/")
        assert again.status == 302 and again.location.startswith("/login"), instance.name


def test_points_given_through_a_are_on_bs_leaderboard_in_the_next_request(
    instances: list[Instance],
) -> None:
    a, b = instances
    department = make_department("Two Instances")
    hr = make_user(role=Role.HR, department=department, name="Hana HR")
    erin = make_user(department=department, name="Erin Engineer")
    rita = make_user(department=department, name="Rita Rival")
    give_points(rita, 50)

    viewer = Browser()
    viewer.log_in(b, erin)
    periods = ("month", "all")
    for period in periods:  # B renders (and keeps) the boards before the points move
        page = viewer.get(b, f"/leaderboard/?period={period}")
        assert page.status == 200
        assert board_rows(page.text) == [("Rita Rival", 50)], period

    hr_browser = Browser()
    hr_browser.log_in(a, hr)
    token = hr_browser.csrf_token(a, f"/people/{erin.id}/profile")
    adjusted = hr_browser.post(
        a,
        f"/people/{erin.id}/points",
        {"amount": "80", "reason": "Deployment drill", "csrf_token": token},
    )
    assert adjusted.status == 302, f"adjust on A: {adjusted.status}\n{logs(instances)}"
    assert adjusted.location == f"/people/{erin.id}/profile"

    for period in periods:
        page = viewer.get(b, f"/leaderboard/?period={period}")
        assert page.status == 200
        assert board_rows(page.text) == [("Erin Engineer", 80), ("Rita Rival", 50)], period


def test_the_login_rate_limit_is_counted_across_both_instances(
    app: Flask, instances: list[Instance]
) -> None:
    a, b = instances
    person = make_user(name="Lee Locked")
    other = make_user(name="Olga Other")
    # The first limit reached by failures of one email from one address.
    limit = min(
        parse_limit(app.config["LOGIN_RATE_LIMIT"]).amount,
        parse_limit(app.config["LOGIN_ADDRESS_RATE_LIMIT"]).amount,
    )
    browser = Browser()
    token = browser.csrf_token(a, "/login")
    wrong = {"email": person.email, "password": "not-the-password", "csrf_token": token}

    outcomes = []
    for attempt in range(limit + 4):
        instance = instances[attempt % 2]  # A, B, A, B …
        outcomes.append((instance.name, browser.post(instance, "/login", wrong).status))

    statuses = [status for _, status in outcomes]
    assert statuses == [401] * limit + [429] * 4, (
        f"{limit} failures allowed across both instances, then 429: {outcomes}"
    )
    # The refusal is for that email from this address, not for everyone behind it.
    elsewhere = {"email": other.email, "password": "not-the-password", "csrf_token": token}
    assert browser.post(b, "/login", elsewhere).status == 401


def test_parallel_redemptions_split_across_both_instances_never_overdraw(
    instances: list[Instance],
) -> None:
    a, b = instances
    cost, affordable, fired, left_over = 10, 17, 50, 3
    employee = make_user(name="Rae Redeemer")
    perk = make_perk(cost_points=cost, stock=None, limit_per_year=None, requires_approval=False)
    give_points(employee, affordable * cost + left_over)
    path = f"/perks/{perk.id}/redeem"  # (read here: the threads have no app context)

    # Eight browsers of the same person (logged in on A or B), each with its CSRF token.
    browsers: list[tuple[Browser, str]] = []
    for n in range(8):
        browser = Browser()
        browser.log_in(instances[n % 2], employee)
        browsers.append((browser, browser.csrf_token(instances[(n + 1) % 2], "/perks/")))

    go = threading.Event()

    def redeem(n: int) -> tuple[str, int]:
        browser, token = browsers[n % len(browsers)]
        instance = instances[n % 2]
        assert go.wait(REQUEST_SECONDS)
        answer = browser.post(instance, path, {"csrf_token": token}, keep_cookies=False)
        return instance.name, answer.status

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(redeem, n) for n in range(fired)]
        go.set()
        outcomes = [future.result(timeout=2 * REQUEST_SECONDS) for future in futures]

    statuses = [status for _, status in outcomes]
    assert set(statuses) <= {302, 422}, f"{outcomes}\n{logs(instances)}"
    assert statuses.count(302) == affordable, outcomes  # 302: redeemed; 422: not enough points
    served = {name: sum(1 for n, s in outcomes if n == name and s == 302) for name in "AB"}

    db.session.expire_all()
    balance = db.session.scalar(
        text("SELECT COALESCE(SUM(amount), 0) FROM point_entries WHERE user_id = :user"),
        {"user": employee.id},
    )
    assert balance == left_over, f"balance {balance}; redeemed per instance: {served}"
    assert balance >= 0
    redeemed = db.session.scalar(
        select(func.count(Redemption.id)).where(Redemption.user_id == employee.id)
    )
    assert redeemed == affordable
