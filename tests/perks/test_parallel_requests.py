"""Many simultaneous redemption requests over HTTP, against the app served by a threaded server
with its real connection pool (PostgreSQL): the balance covers only some of them, and exactly
those succeed — nothing overdraws, nothing answers 500."""

from __future__ import annotations

import re
import threading
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, OpenerDirector, build_opener

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.perks.models import Perk, Redemption
from community.points import queries as points_queries
from tests.browser.conftest import live_server  # noqa: F401  (the app on a local port)
from tests.factories import PASSWORD, make_user
from tests.perks.factories import give_points, make_perk

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(base: str, email: str) -> tuple[OpenerDirector, str]:
    """A cookie-keeping client logged in as `email`, and its CSRF token."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    token = CSRF.search(opener.open(f"{base}/login").read().decode())
    assert token
    form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    opener.open(f"{base}/login", data=urlencode(form).encode())
    page = opener.open(f"{base}/perks/").read().decode()
    token = CSRF.search(page)
    assert token, "not signed in"
    return opener, token.group(1)


def redeem_in_parallel(
    base: str, opener: OpenerDirector, token: str, perk_id: int, n: int
) -> list[int]:
    barrier = threading.Barrier(n, timeout=30)
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        barrier.wait()
        try:
            status = opener.open(
                f"{base}/perks/{perk_id}/redeem", data=urlencode({"csrf_token": token}).encode()
            ).status
        except HTTPError as exc:
            status = exc.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_http_redemptions_spend_exactly_what_the_balance_allows(
    live_server: str,  # noqa: F811
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no real race")
    employee = make_user(email="racer@example.com")
    perk = make_perk(cost_points=10, stock=12, requires_approval=False)
    give_points(employee, 75)  # covers 7 of the 20
    opener, token = signed_in(live_server, "racer@example.com")

    statuses = redeem_in_parallel(live_server, opener, token, perk.id, 20)

    assert len(statuses) == 20 and all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Redemption.id))) == 7
    assert points_queries.balance(employee) == 5
    assert db.session.get(Perk, perk.id).stock == 5
