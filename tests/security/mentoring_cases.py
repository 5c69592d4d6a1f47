"""The mentoring routes for the security tests: the HR-only rows of the role matrix, the pages
for everyone, and whose record a pairing or mentor id names in the id-guessing test. Rows, not
`Case`s, so that this module need not import the test module that reads it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.mentoring import services
from community.mentoring.models import Pairing
from tests.factories import make_user
from tests.mentoring.factories import make_mentor
from tests.security.conftest import Company


def open_mentor(company: Company) -> int:
    """A colleague with a hire and an open offer (made once per test)."""
    if "mentor_id" not in company.__dict__:
        mentor = make_user(Role.EMPLOYEE, company.department, name="Ming Mentor")
        company.__dict__["mentor_id"] = make_mentor(mentor, company.hr, capacity=3).id
    return company.__dict__["mentor_id"]


def strangers_pairing(company: Company) -> int:
    """A running pairing of two people who are none of the visitors (made once per test)."""
    if "pairing_id" not in company.__dict__:
        mentor = db.session.get(type(company.hr), open_mentor(company))
        mentee = make_user(Role.EMPLOYEE, company.department, name="Nora Newcomer")
        pairing = services.request_mentor(mentee, mentor.id, "Please")
        services.accept_request(mentor, pairing.id)
        company.__dict__["pairing_id"] = pairing.id
    return company.__dict__["pairing_id"]


def _paired(company: Company) -> bool:
    return (
        db.session.scalars(select(Pairing).where(Pairing.mentee_id == company.employee.id)).first()
        is not None
    )


def _pair_data(company: Company) -> dict[str, Any]:
    return {"mentor_id": str(open_mentor(company)), "mentee_id": str(company.employee.id)}


def _pair_path(company: Company) -> str:
    open_mentor(company)
    return "/mentoring/hr/pair"


# (endpoint, method, path, HR's status, data, done) for the role matrix.
MENTORING_ROWS = [
    ("mentoring.hr", "GET", lambda c: "/mentoring/hr", 200),
    # The mentor is made with the path, before the matrix takes its fingerprint of the database.
    ("mentoring.hr_pair", "POST", _pair_path, 302, _pair_data, _paired),
]

MENTORING_GETS = {
    "mentoring.index": lambda c: "/mentoring/",
    "mentoring.offer": lambda c: "/mentoring/offer",
    "mentoring.ask": lambda c: f"/mentoring/mentors/{open_mentor(c)}",
}
