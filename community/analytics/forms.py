"""The dashboard's filter bar: what it offers the reader, and the filters as a query string.

The bar is a plain GET form (htmx swaps the content and pushes the URL, so a link or a reload
shows the same numbers); `analytics.filters.parse_filters` reads it back and refuses what is
wrong. It offers only what the reader may choose: HR every department and job, a manager their
own department and its jobs, an employee no department and the jobs that are not drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.accounts.models import Department, User
from community.analytics.filters import Filters
from community.core.localized import localized
from community.core.permissions import is_hr
from community.core.roles import Role
from community.extensions import db
from community.jobs.labels import job_family_labels
from community.jobs.models import Job, JobFamily, JobStatus
from community.referrals.labels import SOURCE_LABELS
from community.referrals.models import ReferralSource

PERIOD_LABELS: dict[str, LazyString] = {
    "month": _l("This month"),
    "quarter": _l("This quarter"),
    "year": _l("This year"),
    "custom": _l("Custom dates"),
}


@dataclass(frozen=True)
class FilterChoices:
    """What the filter bar offers: (value, label) pairs; `departments` is empty when the reader
    has no choice of department (a manager sees their own, an employee their own numbers)."""

    periods: tuple[tuple[str, str], ...]
    departments: tuple[tuple[int, str], ...]
    jobs: tuple[tuple[int, str], ...]
    families: tuple[tuple[str, str], ...]
    sources: tuple[tuple[str, str], ...]

    def job_ids(self) -> frozenset[int]:
        return frozenset(job_id for job_id, _label in self.jobs)


def visible_jobs(viewer: User) -> list[Job]:
    """The jobs a reader may filter by: HR all of them; anyone else the published ones (open or
    closed: a draft is HR's until it opens, as on the jobs pages), a manager those of their own
    department."""
    query = select(Job).order_by(Job.title, Job.id)
    if is_hr(viewer):
        return list(db.session.scalars(query))
    query = query.where(Job.status != JobStatus.DRAFT)
    if viewer.role == Role.MANAGER and viewer.department_id is not None:
        query = query.where(Job.department_id == viewer.department_id)
    return list(db.session.scalars(query))


def filter_choices(viewer: User) -> FilterChoices:
    """What the filter bar offers `viewer`, in their language."""
    departments: tuple[tuple[int, str], ...] = ()
    if is_hr(viewer):
        rows = db.session.scalars(select(Department).order_by(Department.name, Department.id))
        departments = tuple((d.id, str(localized(d, "name"))) for d in rows)
    families = job_family_labels()
    return FilterChoices(
        periods=tuple((key, str(label)) for key, label in PERIOD_LABELS.items()),
        departments=departments,
        jobs=tuple((job.id, str(localized(job, "title"))) for job in visible_jobs(viewer)),
        families=tuple((family.value, str(families[family])) for family in JobFamily),
        sources=tuple((source.value, str(SOURCE_LABELS[source])) for source in ReferralSource),
    )


def as_args(filters: Filters, **overrides: Any) -> dict[str, str]:
    """The filters as the query string the bar sends (a preset period without its dates)."""
    args: dict[str, str] = {"period": filters.period}
    if filters.period == "custom":
        args |= {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    if filters.department_id is not None:
        args["department"] = str(filters.department_id)
    if filters.job_id is not None:
        args["job"] = str(filters.job_id)
    if filters.family is not None:
        args["family"] = filters.family.value
    if filters.source is not None:
        args["source"] = filters.source.value
    for key, value in overrides.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return args


def period_slug(filters: Filters) -> str:
    """The period in a file name: `2026-10-01_2026-12-31`."""
    return f"{filters.start.isoformat()}_{filters.end.isoformat()}"
