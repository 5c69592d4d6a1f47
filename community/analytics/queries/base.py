"""What the queries share: the conditions a scope puts on the referral facts, the company's
today, and the nearest-rank percentile."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from flask import g, has_request_context
from sqlalchemy import ColumnElement, and_, case, func, select

from community.accounts.models import Department
from community.analytics.filters import Filters
from community.analytics.models import ReferralFacts as F
from community.analytics.scope import Scope
from community.core.localized import choose
from community.core.time import company_tz, local_today
from community.core.transaction import writes
from community.extensions import db
from community.jobs.models import Job

__all__ = [
    "F",
    "cohort",
    "department_labels",
    "dimensions",
    "job_labels",
    "local_today",
    "percentile",
    "remembered",
    "tally",
    "utc_bounds",
]

P = ParamSpec("P")
R = TypeVar("R")


def remembered(query: Callable[P, R]) -> Callable[P, R]:
    """Answer a query once per request: the dashboard, its weak spots and a CSV ask the same
    numbers more than once. The answers are frozen dataclasses; the memo ends with the request,
    or sooner with any write (docs/architecture.md, Caches)."""

    @functools.wraps(query)
    def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        if not has_request_context():
            return query(*args, **kwargs)
        # Keyed by the session's writes and the day too: a write or a new day since (a test's
        # moved clock) asks again, as the club's roster memo does.
        stamp = (writes(), local_today())
        held = g.get("analytics_answers")
        if held is None or held[0] != stamp:
            held = g.analytics_answers = (stamp, {})
        memo = held[1]
        key = (query.__module__, query.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = query(*args, **kwargs)
        return memo[key]

    return answer


# Reached the stage or a later one on the forward path (a referral may skip screening).
SCREENED = F.reached >= 1
INTERVIEWED = F.reached >= 2
OFFERED = F.reached >= 3
HIRED = F.reached >= 4
PASSED = F.reached >= 5


def tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition` (0, not NULL, when none do)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def dimensions(scope: Scope, filters: Filters | None = None) -> list[ColumnElement[bool]]:
    """The department, job, family, source and own-referrals conditions (no period)."""
    f = filters or scope.filters
    conditions: list[ColumnElement[bool]] = []
    if f.department_id is not None:
        conditions.append(F.department_id == f.department_id)
    if f.job_id is not None:
        conditions.append(F.job_id == f.job_id)
    if f.family is not None:
        conditions.append(F.family == f.family)
    if f.source is not None:
        conditions.append(F.source == f.source)
    if scope.referrer_id is not None:
        conditions.append(F.referrer_id == scope.referrer_id)
    return conditions


def cohort(scope: Scope, filters: Filters | None = None) -> ColumnElement[bool]:
    """Referrals SUBMITTED in the period (company-zone days), within the scope's dimensions."""
    f = filters or scope.filters
    return and_(F.submitted_on >= f.start, F.submitted_on <= f.end, *dimensions(scope, f))


def utc_bounds(start: date, end: date, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """The naive-UTC instants where company-zone day `start` begins and the day after `end`
    begins."""
    tz = tz or company_tz()
    utc = ZoneInfo("UTC")
    low = datetime.combine(start, time(), tz).astimezone(utc).replace(tzinfo=None)
    high = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(utc)
    return low, high.replace(tzinfo=None)


def percentile(sorted_values: Sequence[int], share: int) -> int | None:
    """The nearest-rank `share`th percentile (50: the median) of ascending values; None when
    there are none. Nearest rank picks a value that occurred: the same on every engine."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(share * len(sorted_values) / 100))
    return sorted_values[rank - 1]


def department_labels(ids: Sequence[int]) -> dict[int, str]:
    """Department names in the reader's language (two columns read, not whole rows)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Department.id, Department.name, Department.name_en).where(Department.id.in_(ids))
    )
    return {i: str(choose(name, english)) for i, name, english in rows}


def job_labels(ids: Sequence[int]) -> dict[int, str]:
    """Job titles in the reader's language."""
    if not ids:
        return {}
    rows = db.session.execute(select(Job.id, Job.title, Job.title_en).where(Job.id.in_(ids)))
    return {i: str(choose(title, english)) for i, title, english in rows}
