"""Fixtures for the security audit: one small company with every role."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.security import generate_password_hash

from community.accounts.models import Department, Role, User
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.referrals.models import Referral
from tests.conftest import CSRFClient
from tests.factories import PASSWORD, make_department, make_job, make_user
from tests.referrals.factories import make_referral


@pytest.fixture
def new_client(app: Flask) -> Callable[[], CSRFClient]:
    """Another browser (its own cookies), e.g. HR acting while someone else is logged in."""
    return app.test_client


_addresses = itertools.count(1)


def login(client: CSRFClient, user: User) -> CSRFClient:
    """Log `client` in as `user` (logging out whoever was logged in). Each login moves the browser
    to its own address so that the login rate limit (per address) never trips in tests that switch
    between many people; the browser keeps that address, as Flask-Login's strong session
    protection expects."""
    client.post("/logout")
    n = next(_addresses)
    client.environ_base["REMOTE_ADDR"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, f"could not log in as {user.email}"
    return client


def db_fingerprint() -> str:
    """Every row of every table, in a stable order: equal fingerprints mean nothing was written."""
    db.session.expire_all()
    parts = []
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        parts.append(f"{table.name}:{[tuple(row) for row in rows]!r}")
    return "\n".join(parts)


def sample_path(rule: Rule, values: dict[str, Any] | None = None) -> str:
    """A concrete path for `rule`: given values, else 1 for int arguments and "sample" otherwise."""
    args: dict[str, Any] = {}
    for name in rule.arguments:
        if values and name in values:
            args[name] = values[name]
        else:
            converter = rule._converters[name]  # noqa: SLF001
            args[name] = 1 if isinstance(converter, IntegerConverter) else "sample"
    return rule.build(args)[1]


def methods_of(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


# A signed CSRF token (itsdangerous: payload.timestamp.signature); it changes every second.
CSRF_TOKEN = re.compile(rb"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}")


def same_response(first: Any, second: Any) -> bool:
    """Status, body and headers (but the date and length) are identical, once each response's own
    request path is written the same way (pages echo their path, e.g. in the language switcher)."""

    def shape(response: Any) -> tuple[int, bytes, list[tuple[str, str]]]:
        path = response.request.path
        body = response.data.replace(path.encode(), b"<path>")
        body = CSRF_TOKEN.sub(b"<token>", body)
        headers = sorted(
            (k, v.replace(path, "<path>"))
            for k, v in response.headers
            # The rate limit's own figures count the visitor's tries (the public link pages
            # count a visitor's misses), not anything about the record asked for.
            if k.lower() not in ("date", "content-length")
            and not k.lower().startswith("x-ratelimit")
        )
        return response.status_code, body, headers

    return shape(first) == shape(second)


@dataclass
class Company:
    """Everyone the permission rules talk about, plus one referral with a resume."""

    department: Department
    hr: User
    employee: User  # "another employee": not the referrer
    manager: User  # a manager with no link to the referral
    hiring_manager: User  # the manager named on the referral's job
    referrer: User
    job: Job
    draft_job: Job
    referral: Referral

    def user(self, who: str) -> User:
        return getattr(self, who)


# "password123" hashed cheaply (the method is read back from the hash when checking): these
# tests log in hundreds of times and are about permissions, not password hashing.
FAST_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def _person(role: Role, department: Department, name: str) -> User:
    return make_user(role, department, name=name, password=None, password_hash=FAST_PASSWORD_HASH)


@pytest.fixture
def company() -> Company:
    department = make_department("Engineering")
    hiring_manager = _person(Role.MANAGER, department, "Hiring Manager Hui")
    job = make_job(department, title="Payments Engineer", hiring_manager_id=hiring_manager.id)
    hr = _person(Role.HR, department, "Hana HR")  # before the referral, so HR is notified
    referrer = _person(Role.EMPLOYEE, department, "Referrer Rita")
    referral = make_referral(
        referrer,
        job,
        candidate_name="Secret Candidate Sun",
        email="secret.candidate@example.org",
        phone="+8613812345678",
    )
    return Company(
        department=department,
        hr=hr,
        employee=_person(Role.EMPLOYEE, department, "Other Employee Oscar"),
        manager=_person(Role.MANAGER, department, "Manager Mei"),
        hiring_manager=hiring_manager,
        referrer=referrer,
        job=job,
        draft_job=make_job(department, title="Unannounced Draft Job", status=JobStatus.DRAFT),
        referral=referral,
    )
