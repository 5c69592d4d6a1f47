"""The forum's moderation routes, role by role: employees, managers, the referrer and club
members who do not moderate get 403 and change nothing (htmx too: a toast, no swap); a club
moderator and HR succeed and the change happens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from community.accounts.models import User
from tests.club.factories import make_member
from tests.factories import make_user
from tests.security import policy
from tests.security.conftest import Company, db_fingerprint, login, methods_of
from tests.security.forum_moderation_cases import MODERATOR_ROWS


@dataclass
class Case:
    endpoint: str
    method: str
    path: Callable[[Company], str]
    status: int
    data: Callable[[Company], dict[str, Any]]
    done: Callable[[Company], bool]

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


CASES = [Case(*row) for row in MODERATOR_ROWS]


def _person(company: Company, who: str) -> User:
    if who == "club_member":
        return make_member(make_user(department=company.department), hr=company.hr)
    if who == "club_moderator":
        return make_member(make_user(department=company.department), moderator=True, hr=company.hr)
    return company.user(who)


def test_the_cases_cover_every_moderators_route(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint in policy.FORUM_MODERATORS
        for method in methods_of(rule)
    }
    assert routes == {(case.endpoint, case.method) for case in CASES}


@pytest.mark.parametrize(
    "who", ["employee", "manager", "hiring_manager", "referrer", "club_member"]
)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_moderators_routes_refuse_everyone_else(client, company, case: Case, who: str) -> None:
    path = case.path(company)
    login(client, _person(company, who))
    before = db_fingerprint()
    response = client.open(path, method=case.method, data=case.data(company))
    assert response.status_code == 403
    assert "spam.example" not in response.text
    htmx = client.open(
        path, method=case.method, data=case.data(company), headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 403
    assert htmx.headers["HX-Reswap"] == "none"
    assert db_fingerprint() == before


@pytest.mark.parametrize("who", ["club_moderator", "hr"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_moderators_and_hr_may_use_every_moderators_route(
    client, company, case: Case, who: str
) -> None:
    path = case.path(company)
    login(client, _person(company, who))
    response = client.open(path, method=case.method, data=case.data(company))
    assert response.status_code == case.status, response.text[:500]
    assert case.done(company)
