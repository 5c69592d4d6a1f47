"""Every hosting route for every role: an employee gets 403, the host and HR may, another
manager gets the same 404 as for a missing challenge, only HR approves and disqualifies, and an
anonymous visitor is sent to log in. A refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from community.challenges import entries, lifecycle, services
from community.challenges.models import Challenge, PeopleScope
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from tests.challenges.factories import make_challenge
from tests.challenges.hosting import (
    Hosting,
    challenge_form,
    hosting_company,
    local_text,
    prize_form,
)
from tests.security.conftest import db_fingerprint, login

ROLES = ["employee", "host", "other_manager", "hr", "anonymous"]


def _draft(co: Hosting) -> Challenge:
    challenge = make_challenge(
        co.host,
        schedule=False,
        people_scope=PeopleScope.TEAM,
        prizes=[PrizeFields(rank_from=1, points=50)],
    )
    co.__dict__["challenge"] = challenge
    return challenge


def _awaiting(co: Hosting) -> Challenge:
    challenge = make_challenge(co.host, people_scope=PeopleScope.TEAM)
    co.__dict__["challenge"] = challenge
    return challenge


def _live(co: Hosting, disqualified: bool = False) -> Challenge:
    challenge = _awaiting(co)
    services.approve_challenge(co.hr, challenge.id)
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    entries.join_challenge(co.member, challenge.id)
    if disqualified:
        entries.set_disqualified(co.hr, challenge.id, co.member.id, True, "Rules broken")
    return challenge


@dataclass
class Route:
    endpoint: str
    method: str
    path: Callable[[Hosting], str]
    # What each role gets: employee, host, other manager, HR (anonymous: always the login page).
    statuses: tuple[int, int, int, int]
    data: Callable[[Hosting], dict[str, Any]] = field(default=lambda co: {})

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


HOSTING = (403, 200, 404, 200)
HOSTING_POST = (403, 302, 404, 302)
HR_ONLY = (403, 403, 403, 200)
HR_ONLY_POST = (403, 403, 403, 302)

ROUTES = [
    Route("challenges.new", "GET", lambda co: "/challenges/new", (403, 200, 200, 200)),
    Route(
        "challenges.new", "POST", lambda co: "/challenges/new", (403, 302, 302, 302),
        data=lambda co: challenge_form(),
    ),
    Route("challenges.edit", "GET", lambda co: f"/challenges/{_draft(co).id}/edit", HOSTING),
    Route(
        "challenges.edit", "POST", lambda co: f"/challenges/{_draft(co).id}/edit", HOSTING_POST,
        data=lambda co: challenge_form(title="改过的"),
    ),
    Route(
        "challenges.add_prize", "POST", lambda co: f"/challenges/{_draft(co).id}/prizes",
        HOSTING_POST, data=lambda co: prize_form(rank_from="2"),
    ),
    Route(
        "challenges.remove_prize", "POST",
        lambda co: f"/challenges/{_draft(co).id}/prizes/{co.challenge.prizes[0].id}/delete",
        HOSTING_POST,
    ),
    Route("challenges.submit", "POST", lambda co: f"/challenges/{_draft(co).id}/submit", HOSTING_POST),
    Route(
        "challenges.cancel", "POST", lambda co: f"/challenges/{_draft(co).id}/cancel", HOSTING_POST,
        data=lambda co: {"cancel-reason": "Budget frozen"},
    ),
    Route(
        "challenges.extend", "POST", lambda co: f"/challenges/{_live(co).id}/extend", HOSTING_POST,
        data=lambda co: {"extend-ends_at": local_text(co.challenge.ends_at + timedelta(days=2))},
    ),
    Route("challenges.host", "GET", lambda co: f"/challenges/{_live(co).id}/host", HOSTING),
    Route("challenges.approvals", "GET", lambda co: "/challenges/approvals", HR_ONLY),
    Route("challenges.approve", "POST", lambda co: f"/challenges/{_awaiting(co).id}/approve", HR_ONLY_POST),
    Route(
        "challenges.disqualify", "POST",
        lambda co: f"/challenges/{_live(co).id}/entrants/{co.member.id}/disqualify",
        HR_ONLY_POST, data=lambda co: {"reason": "Referred himself"},
    ),
    Route(
        "challenges.reinstate", "POST",
        lambda co: f"/challenges/{_live(co, disqualified=True).id}/entrants/{co.member.id}/reinstate",
        HR_ONLY_POST,
    ),
]  # fmt: skip


def test_every_challenge_route_is_in_the_table(app) -> None:  # noqa: ANN001
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("challenges.")
        and rule.endpoint.split(".")[1] in {r.endpoint.split(".")[1] for r in ROUTES}
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {(route.endpoint, route.method) for route in ROUTES}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_who_may_use_each_hosting_route(client, route: Route, who: str) -> None:
    co = hosting_company()
    path = route.path(co)
    if who != "anonymous":
        login(client, co.user(who))
    before = db_fingerprint()
    response = client.open(path, method=route.method, data=route.data(co))
    if who == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/login?next=")
        assert db_fingerprint() == before
        return
    expected = route.statuses[["employee", "host", "other_manager", "hr"].index(who)]
    assert response.status_code == expected, response.text[:400]
    if expected >= 400:
        assert db_fingerprint() == before
        htmx = client.open(
            path, method=route.method, data=route.data(co), headers={"HX-Request": "true"}
        )
        assert htmx.status_code == expected
        assert htmx.headers["HX-Reswap"] == "none"  # a refusal is a toast, never swapped in
        assert db_fingerprint() == before
    elif route.method == "POST":
        assert db_fingerprint() != before
