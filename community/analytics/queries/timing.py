"""Time: how long referrals of the cohort (submitted in the period) spent in each stage, the
time to hire, and the first-review SLA.

A referral's time in a stage runs from reaching it to reaching the next one it reached
(forward, or rejected / withdrawn); a stage it is still in does not count yet (its time is not
known), nor does one it skipped. Time to hire: submitted to hired. Median and 90th percentile
by nearest rank, in whole seconds.

First review: the first move out of "submitted" (forward, rejected or withdrawn), due by the
deadline the referral met at submission (its rules' `review_sla_days` working days,
`referrals` sets `review_due_at` the same way). A breach is a first review after the deadline,
or none yet with the deadline passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import case, func, select

from community.analytics.filters import Filters
from community.analytics.queries.base import F, cohort, percentile, remembered
from community.analytics.scope import Scope, with_filters
from community.analytics.suppression import rate
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage

# The stages whose time is measured, in path order, with the facts column holding the seconds
# spent in each (`rollups` computes them when a referral moves).
TIMED: tuple[tuple[Stage, str], ...] = (
    (Stage.SUBMITTED, "in_submitted_s"),
    (Stage.SCREENING, "in_screening_s"),
    (Stage.INTERVIEWING, "in_interviewing_s"),
    (Stage.OFFER, "in_offer_s"),
    (Stage.HIRED, "in_hired_s"),
)


@dataclass(frozen=True)
class Spread:
    count: int  # how many durations were measured
    median_seconds: int | None
    p90_seconds: int | None


@dataclass(frozen=True)
class StageTime:
    stage: Stage
    spread: Spread


@dataclass(frozen=True)
class Timing:
    filters: Filters
    stages: tuple[StageTime, ...]
    time_to_hire: Spread


@dataclass(frozen=True)
class Sla:
    filters: Filters
    reviewed_in_time: int
    reviewed_late: int
    waiting_in_time: int
    waiting_overdue: int

    @property
    def breaches(self) -> int:
        return self.reviewed_late + self.waiting_overdue

    @property
    def breach_rate(self) -> Fraction | None:
        everyone = (
            self.reviewed_in_time + self.reviewed_late + self.waiting_in_time + self.waiting_overdue
        )
        return rate(self.breaches, everyone)


def _spread(durations: list[int]) -> Spread:
    durations.sort()
    return Spread(len(durations), percentile(durations, 50), percentile(durations, 90))


@remembered
def timing(filters: Filters, scope: Scope) -> Timing:
    """Median and 90th percentile time in each stage, and time to hire, for the cohort."""
    f = with_filters(scope, filters).filters
    names = [column for _, column in TIMED] + ["to_hire_s"]
    if db.engine.dialect.name == "postgresql":
        spreads = _spreads_in_sql(scope, f, names)
    else:  # SQLite has no ordered-set aggregates: the cohort's seconds are sorted here
        rows = db.session.execute(
            select(*(getattr(F, name) for name in names)).where(cohort(scope, f))
        ).all()
        columns = [[v for v in column if v is not None] for column in zip(*rows, strict=True)]
        spreads = [_spread(column) for column in columns or [[] for _ in names]]
    return Timing(
        f,
        tuple(StageTime(stage, spreads[i]) for i, (stage, _) in enumerate(TIMED)),
        spreads[-1],
    )


def _spreads_in_sql(scope: Scope, f: Filters, names: list[str]) -> list[Spread]:
    """PostgreSQL: `percentile_disc` is the nearest rank, the same value `percentile` picks."""
    columns = []
    for name in names:
        column = getattr(F, name)
        columns += [
            func.count(column),
            func.percentile_disc(0.5).within_group(column),
            func.percentile_disc(0.9).within_group(column),
        ]
    row = db.session.execute(select(*columns).where(cohort(scope, f))).one()
    return [Spread(int(row[i]), row[i + 1], row[i + 2]) for i in range(0, len(row), 3)]


@remembered
def sla(filters: Filters, scope: Scope) -> Sla:
    """First reviews of the cohort: in time, late, and still waiting (in time or overdue)."""
    f = with_filters(scope, filters).filters
    now = utcnow()
    reviewed = F.first_reviewed_at.is_not(None)
    late = reviewed & (F.first_reviewed_at > F.first_review_due_at)
    overdue = F.first_reviewed_at.is_(None) & (F.first_review_due_at < now)

    def total(condition: object) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    in_time, late_n, waiting, overdue_n = db.session.execute(
        select(
            total(reviewed & ~late),
            total(late),
            total(F.first_reviewed_at.is_(None) & ~overdue),
            total(overdue),
        ).where(cohort(scope, f))
    ).one()
    return Sla(f, int(in_time), int(late_n), int(waiting), int(overdue_n))
