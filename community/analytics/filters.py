"""What a dashboard reader asks for: a period and optional department, job, job family and
source. `parse_filters` turns a query string into `Filters` or refuses with a message naming
the field (400); `previous` is the period of the same length just before, for comparison.

Periods are company-zone calendar days, both ends included. The default is the current quarter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import Department
from community.core.errors import DomainError
from community.core.params import parse_int
from community.extensions import db
from community.jobs.models import Job, JobFamily
from community.referrals.models import ReferralSource

EARLIEST = date(2000, 1, 1)
E = TypeVar("E", JobFamily, ReferralSource)
LONGEST_DAYS = 3 * 366  # three years, leap days included
PERIODS = ("month", "quarter", "year", "custom")


class AnalyticsError(DomainError):
    """A dashboard request that cannot be answered: a bad filter (400) or a scope the reader may
    not see (403)."""

    status = 400


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    department_id: int | None = None
    job_id: int | None = None
    family: JobFamily | None = None
    source: ReferralSource | None = None
    period: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """The calendar month, quarter or year that holds `today`."""
    if period == "month":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif period == "year":
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return start, end


def previous(filters: Filters) -> Filters:
    """The same filters over the period of the same length that ends the day before."""
    end = filters.start - timedelta(days=1)
    return replace(filters, start=end - timedelta(days=filters.days - 1), end=end)


def _date(args: Mapping[str, str], name: str, label: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise AnalyticsError(
            _("%(field)s: please enter a date as YYYY-MM-DD.", field=label), field=name
        ) from None


def _id(args: Mapping[str, str], name: str, label: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    number = parse_int(raw)  # past what an id column holds it names nothing, like any unknown id
    if number is None:
        raise AnalyticsError(_("%(field)s: unknown choice.", field=label), field=name)
    return number


def _choice(args: Mapping[str, str], name: str, label: str, kind: type[E]) -> E | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise AnalyticsError(_("%(field)s: unknown choice.", field=label), field=name) from None


def parse_filters(args: Mapping[str, str], today: date) -> Filters:
    """Read `period` (month, quarter, year or custom), `start`/`end` (YYYY-MM-DD, for custom;
    giving them alone means custom), `department`, `job` (ids), `family` and `source` (values).
    Refuses (400, the field named) a bad or reversed date, a range over three years, before
    2000 or after tomorrow, and an unknown department, job, family, source or period."""
    period = (args.get("period") or "").strip()
    start = _date(args, "start", _("Start date"))
    end = _date(args, "end", _("End date"))
    if not period:
        period = "custom" if start or end else "quarter"
    if period not in PERIODS:
        raise AnalyticsError(_("%(field)s: unknown choice.", field=_("Period")), field="period")
    if period != "custom":
        start, end = period_bounds(period, today)
    else:
        if start is None or end is None:
            raise AnalyticsError(
                _("Please enter both a start date and an end date."),
                field="start" if start is None else "end",
            )
        if end < start:
            raise AnalyticsError(_("The end date is before the start date."), field="end")
        if start < EARLIEST:
            raise AnalyticsError(
                _("The start date cannot be before %(year)s.", year=EARLIEST.year), field="start"
            )
        if end > today + timedelta(days=1):
            raise AnalyticsError(_("The end date cannot be in the future."), field="end")
        if (end - start).days + 1 > LONGEST_DAYS:
            raise AnalyticsError(_("Please choose a period of at most three years."), field="end")

    department_id = _id(args, "department", _("Department"))
    if department_id is not None and db.session.get(Department, department_id) is None:
        raise AnalyticsError(
            _("%(field)s: unknown choice.", field=_("Department")), field="department"
        )
    job_id = _id(args, "job", _("Job"))
    if job_id is not None and db.session.scalar(select(Job.id).where(Job.id == job_id)) is None:
        raise AnalyticsError(_("%(field)s: unknown choice.", field=_("Job")), field="job")
    return Filters(
        start=start,
        end=end,
        department_id=department_id,
        job_id=job_id,
        family=_choice(args, "family", _("Job family"), JobFamily),
        source=_choice(args, "source", _("Source"), ReferralSource),
        period=period,
    )
