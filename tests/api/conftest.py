"""API tests: a small company (HR, a referrer, a job, a referral), tokens made through the
service, and a client that calls the API with a bearer token and no cookie."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from community.accounts.models import Department, Role, User
from community.api import services
from community.api.scopes import Scope
from community.jobs.models import Job
from community.referrals.models import Referral
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

ALL_SCOPES = [scope.value for scope in Scope]


@dataclass
class Shop:
    department: Department
    hr: User
    referrer: User
    job: Job
    referral: Referral


@pytest.fixture
def shop() -> Shop:
    department = make_department("Engineering")
    hr = make_user(Role.HR, department, name="Hana HR")
    referrer = make_user(Role.EMPLOYEE, department, name="Referrer Rita")
    job = make_job(department, title="Payments Engineer")
    referral = make_referral(
        referrer,
        job,
        candidate_name="Candidate Sun",
        email="sun@example.org",
        phone="+8613812345678",
    )
    return Shop(department, hr, referrer, job, referral)


@pytest.fixture
def token_for(shop: Shop) -> Callable[..., str]:
    """A plain token with `scopes` (all by default), made by `actor` (the shop's HR)."""

    def make(*scopes: str, actor: User | None = None, **fields: Any) -> str:
        chosen = list(scopes) or ALL_SCOPES
        return services.create_token(actor or shop.hr, "Test ATS", chosen, **fields).plain

    return make


class Api:
    """Calls the API as an integration would: a bearer token, JSON, no cookies."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client(use_cookies=False)

    def call(self, method: str, path: str, token: str | None, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, csrf=False, **kwargs)

    def get(self, path: str, token: str | None, **kwargs: Any) -> Any:
        return self.call("GET", path, token, **kwargs)

    def post(self, path: str, token: str | None, **kwargs: Any) -> Any:
        return self.call("POST", path, token, **kwargs)


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app)


def data_fingerprint() -> str:
    """Every row of every table but the tokens' own (whose "last used" a refused call may note):
    equal fingerprints mean the call wrote nothing."""
    from tests.security.conftest import db_fingerprint

    lines = db_fingerprint().split("\n")
    return "\n".join(line for line in lines if not line.startswith("api_tokens:"))
