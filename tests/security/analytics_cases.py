"""The analytics routes for the security tests: the pages every signed-in person has (the role
matrix opens them as every role), and the matrix of who reads which scope (anonymous, an
employee, a manager in their own and another department, HR), with the forged ids a filter can
carry. Rows, not tests, so that this module need not import the test modules that read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from community.accounts.models import Department
from community.extensions import db
from community.jobs.models import JobStatus
from tests.factories import make_department, make_job
from tests.security.conftest import Company

MISSING_ID = 987654

ANALYTICS_GETS = {
    "analytics.dashboard": lambda c: "/analytics/",
    "analytics.export": lambda c: "/analytics/funnel.csv",
}


def other_department(company: Company) -> int:
    """A department none of the company's people belong to (made once per test)."""
    if "other_department_id" not in company.__dict__:
        company.__dict__["other_department_id"] = make_department("Finance").id
    return company.__dict__["other_department_id"]


def hr_draft_job(company: Company) -> int:
    """A draft job in another department: HR's alone until it opens (made once per test)."""
    if "analytics_draft_id" not in company.__dict__:
        department = db.session.get(Department, other_department(company))
        job = make_job(department, status=JobStatus.DRAFT, title="Secret Draft")
        company.__dict__["analytics_draft_id"] = job.id
    return company.__dict__["analytics_draft_id"]


@dataclass(frozen=True)
class Row:
    """`who` (None: anonymous) asks for `path`; the answer is `status` and says `says`."""

    who: str | None
    path: Callable[[Company], str]
    status: int
    says: str = ""

    @property
    def id(self) -> str:
        return f"{self.who or 'anonymous'} {self.path.__doc__ or ''}".strip()


def _path(doc: str, build: Callable[[Company], str]) -> Callable[[Company], str]:
    build.__doc__ = doc
    return build


OWN = "You can see the numbers of your own department only."
UNKNOWN_JOB = "Job: unknown choice."
UNKNOWN_DEPARTMENT = "Department: unknown choice."

ANALYTICS_MATRIX = [
    Row(None, _path("dashboard", lambda c: "/analytics/"), 302),
    Row(None, _path("csv", lambda c: "/analytics/funnel.csv"), 302),
    Row("employee", _path("dashboard", lambda c: "/analytics/"), 200, "Your own referrals"),
    Row("employee", _path("csv", lambda c: "/analytics/rewards-cash.csv"), 200),
    Row("employee", _path("quality csv", lambda c: "/analytics/quality-referrers.csv"), 403),
    Row("employee", _path("participation csv", lambda c: "/analytics/participation.csv"), 403),
    Row("manager", _path("dashboard", lambda c: "/analytics/"), 200, "Engineering"),
    Row(
        "manager",
        _path("own department", lambda c: f"/analytics/?department={c.department.id}"),
        200,
    ),
    Row(
        "manager",
        _path("other department", lambda c: f"/analytics/?department={other_department(c)}"),
        403,
        OWN,
    ),
    Row(
        "manager",
        _path(
            "other department csv",
            lambda c: f"/analytics/participation.csv?department={other_department(c)}",
        ),
        403,
        OWN,
    ),
    Row("manager", _path("quality csv", lambda c: "/analytics/quality-jobs.csv"), 403),
    Row("hr", _path("dashboard", lambda c: "/analytics/"), 200, "whole company"),
    Row(
        "hr",
        _path("other department", lambda c: f"/analytics/?department={other_department(c)}"),
        200,
    ),
    Row("hr", _path("quality csv", lambda c: "/analytics/quality-referrers.csv"), 200),
    # Forged ids in the filters: a draft job answers like a missing one (nothing about it shows),
    # a missing department or job, a negative or a word is a 400 naming the field.
    Row(
        "employee",
        _path("draft job", lambda c: f"/analytics/?job={hr_draft_job(c)}"),
        400,
        UNKNOWN_JOB,
    ),
    Row(
        "manager",
        _path("draft job", lambda c: f"/analytics/?job={hr_draft_job(c)}"),
        400,
        UNKNOWN_JOB,
    ),
    Row("hr", _path("draft job", lambda c: f"/analytics/?job={hr_draft_job(c)}"), 200),
    Row(
        "employee",
        _path("missing job", lambda c: f"/analytics/?job={MISSING_ID}"),
        400,
        UNKNOWN_JOB,
    ),
    Row("hr", _path("negative job", lambda c: "/analytics/?job=-1"), 400, UNKNOWN_JOB),
    Row(
        "hr",
        _path("missing department", lambda c: f"/analytics/?department={MISSING_ID}"),
        400,
        UNKNOWN_DEPARTMENT,
    ),
    Row(
        "hr",
        _path("department word", lambda c: "/analytics/?department=abc"),
        400,
        UNKNOWN_DEPARTMENT,
    ),
    Row(
        "manager",
        _path(
            "department list", lambda c: f"/analytics/?department={c.department.id},{MISSING_ID}"
        ),
        400,
        UNKNOWN_DEPARTMENT,
    ),
]
