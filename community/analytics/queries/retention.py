"""Retention of referred hires: of the hires of each month (company-zone date of the move to
hired) in the period, how many were still with the company 90, 180 and 365 days after their
start date (`left_company_on` unset, or on or after that day). A hire without a start date
counts from the day they were hired. A cohort with any hire not yet that many days past their
start shows "not yet" (None) for that horizon, never a flattering 100%."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import and_, select

from community.analytics.filters import Filters
from community.analytics.queries.base import F, dimensions, local_today, remembered
from community.analytics.scope import Scope, with_filters
from community.analytics.suppression import rate
from community.extensions import db

HORIZONS: tuple[int, ...] = (90, 180, 365)


@dataclass(frozen=True)
class Kept:
    days: int
    retained: int | None  # None: the cohort is not yet old enough
    rate: Fraction | None


@dataclass(frozen=True)
class RetentionCohort:
    month: date  # the first day of the hire month
    hires: int
    left: int  # left the company by today
    horizons: tuple[Kept, ...]

    def at(self, days: int) -> Kept:
        return next(kept for kept in self.horizons if kept.days == days)


@dataclass(frozen=True)
class Retention:
    filters: Filters
    cohorts: tuple[RetentionCohort, ...]  # oldest month first


@remembered
def retention(filters: Filters, scope: Scope) -> Retention:
    """Retention at 90/180/365 days of the hires made in the period, by hire month."""
    f = with_filters(scope, filters).filters
    today = local_today()
    rows = db.session.execute(
        select(F.hired_on, F.start_date, F.left_company_on)
        .where(and_(F.hired_on >= f.start, F.hired_on <= f.end, *dimensions(scope, f)))
        .order_by(F.hired_on, F.referral_id)
    ).all()
    months: dict[date, list[tuple[date, date | None]]] = {}
    for hired_on, start_date, left_on in rows:
        months.setdefault(hired_on.replace(day=1), []).append((start_date or hired_on, left_on))
    cohorts = []
    for month, hires in sorted(months.items()):
        horizons = []
        for days in HORIZONS:
            if any(start + timedelta(days=days) > today for start, _ in hires):
                horizons.append(Kept(days, None, None))
                continue
            kept = sum(
                1 for start, left in hires if left is None or left >= start + timedelta(days)
            )
            horizons.append(Kept(days, kept, rate(kept, len(hires))))
        left_count = sum(1 for _, left in hires if left is not None)
        cohorts.append(RetentionCohort(month, len(hires), left_count, tuple(horizons)))
    return Retention(f, tuple(cohorts))
