"""The referral funnel: how far the referrals SUBMITTED in the period got (a cohort funnel).

Steps, each counting the referrals that reached it or any later step:

- submitted: every referral of the cohort;
- screened: reached screening or beyond (a referral sent straight to interview counts);
- interviewed: reached interviewing or beyond;
- offer: reached the offer stage or beyond;
- accepted: reached hired. HR records the hire when the candidate accepts the offer; a declined
  offer is a withdrawal with the reason `declined_offer` (`pipeline.reasons`);
- started: hired, and the start date has come (or none was given);
- probation passed.

Conversion is each step over the step before; `overall` over submitted. The comparison is the
same filters over the period of the same length just before (`filters.previous`). A referral
still on its way counts where it stands today, so a recent cohort looks thinner until it ripens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from community.analytics.filters import AnalyticsError, Filters, previous
from community.analytics.queries.base import (
    HIRED,
    INTERVIEWED,
    OFFERED,
    PASSED,
    SCREENED,
    F,
    cohort,
    department_labels,
    job_labels,
    local_today,
    remembered,
    tally,
)
from community.analytics.scope import Scope, with_filters
from community.analytics.suppression import rate
from community.extensions import db

STEPS: tuple[str, ...] = (
    "submitted",
    "screened",
    "interviewed",
    "offer",
    "accepted",
    "started",
    "probation_passed",
)
DIMENSIONS = ("department", "job", "family", "source")


@dataclass(frozen=True)
class FunnelStep:
    key: str
    count: int
    conversion: Fraction | None  # over the step before (None for submitted, or nothing before)
    overall: Fraction | None  # over submitted


@dataclass(frozen=True)
class Funnel:
    filters: Filters
    steps: tuple[FunnelStep, ...]

    def count(self, key: str) -> int:
        return next(step.count for step in self.steps if step.key == key)

    def step(self, key: str) -> FunnelStep:
        return next(step for step in self.steps if step.key == key)


@dataclass(frozen=True)
class FunnelComparison:
    current: Funnel
    previous: Funnel

    def change(self, key: str) -> int:
        """The count's change against the previous period."""
        return self.current.count(key) - self.previous.count(key)


@dataclass(frozen=True)
class FunnelRow:
    key: str | int  # a department or job id, a family or source value
    label: str
    funnel: Funnel


def _columns() -> list[Any]:
    today = local_today()
    return [
        func.count(),
        tally(SCREENED),
        tally(INTERVIEWED),
        tally(OFFERED),
        tally(HIRED),
        tally(HIRED & or_(F.start_date.is_(None), F.start_date <= today)),
        tally(PASSED),
    ]


def _funnel(filters: Filters, counts: Sequence[int]) -> Funnel:
    counts = [int(c or 0) for c in counts]
    steps = []
    for index, key in enumerate(STEPS):
        before = counts[index - 1] if index else None
        steps.append(
            FunnelStep(
                key=key,
                count=counts[index],
                conversion=rate(counts[index], before) if before is not None else None,
                overall=rate(counts[index], counts[0]),
            )
        )
    return Funnel(filters, tuple(steps))


@remembered
def funnel(filters: Filters, scope: Scope) -> Funnel:
    """The cohort funnel of the referrals submitted in the period, within the scope."""
    f = with_filters(scope, filters).filters
    counts = db.session.execute(select(*_columns()).where(cohort(scope, f))).one()
    return _funnel(f, counts)


@remembered
def compare(filters: Filters, scope: Scope) -> FunnelComparison:
    """This period's funnel and the previous period's (the same length just before)."""
    return FunnelComparison(
        funnel(filters, scope), funnel(previous(with_filters(scope, filters).filters), scope)
    )


@remembered
def funnel_by(filters: Filters, scope: Scope, dimension: str) -> tuple[FunnelRow, ...]:
    """The funnel per department, job, family or source, largest cohort first."""
    if dimension not in DIMENSIONS:
        raise AnalyticsError(_("%(field)s: unknown choice.", field=_("Group by")), field="by")
    f = with_filters(scope, filters).filters
    column = {
        "department": F.department_id,
        "job": F.job_id,
        "family": F.family,
        "source": F.source,
    }[dimension]
    rows = db.session.execute(
        select(column, *_columns()).where(cohort(scope, f)).group_by(column)
    ).all()
    labels = _labels(dimension, [row[0] for row in rows])
    result = [
        FunnelRow(_key(row[0]), labels.get(row[0], str(_key(row[0]))), _funnel(f, row[1:]))
        for row in rows
    ]
    result.sort(key=lambda r: (-r.funnel.count("submitted"), str(r.key)))
    return tuple(result)


def _key(value: Any) -> str | int:
    return value.value if hasattr(value, "value") else value


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    """Department names and job titles in the reader's language; families and sources are
    labelled by the pages (their words live there)."""
    if dimension == "department":
        return department_labels(keys)
    if dimension == "job":
        return job_labels(keys)
    return {}
