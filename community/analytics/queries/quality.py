"""Quality: of the referrals submitted in the period, per referrer (HR only) and per job, how
many reached the interview and how many were hired. Counts under five are shown as "<5" and a
rate over fewer than five referrals is not shown (`suppression`): nobody is shamed by a tiny
sample."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from community.accounts.models import User
from community.analytics.filters import AnalyticsError, Filters
from community.analytics.queries.base import HIRED, INTERVIEWED, F, cohort, remembered, tally
from community.analytics.scope import Scope, with_filters
from community.analytics.suppression import shown, shown_rate
from community.core.errors import FORBIDDEN
from community.core.localized import choose
from community.extensions import db
from community.jobs.models import Job


@dataclass(frozen=True)
class QualityRow:
    key: int  # the referrer's or the job's id
    label: str
    referrals: int | str  # "<5" under the threshold
    interviewed: int | str
    hired: int | str
    interview_rate: Fraction | None  # None over fewer than five referrals
    hire_rate: Fraction | None


@dataclass(frozen=True)
class Quality:
    filters: Filters
    rows: tuple[QualityRow, ...]  # most referrals first
    total: int  # how many there are in all (`rows` may hold only the first of them)


def _rows(filters: Filters, scope: Scope, column: Any, *named: Any, limit: int | None) -> list:
    """Per `column`: its label's columns (read in the same query), then the counts; with a
    `limit`, those with the most referrals only (the database sorts and cuts)."""
    statement = (
        select(column, *named, func.count(), tally(INTERVIEWED), tally(HIRED))
        .join(named[0].table, named[0].table.c.id == column)
        .where(cohort(scope, filters))
        .group_by(column, *named)
    )
    if limit is not None:
        statement = statement.order_by(func.count().desc(), column).limit(limit)
    return db.session.execute(statement).all()


def _total(filters: Filters, scope: Scope, column: Any) -> int:
    return int(
        db.session.scalar(select(func.count(func.distinct(column))).where(cohort(scope, filters)))
        or 0
    )


def _quality(filters: Filters, rows: list, labels: dict[int, str], total: int) -> Quality:
    rows = [(r[0], *r[-3:]) for r in rows]
    ordered = sorted(rows, key=lambda r: (-r[1], labels.get(r[0], ""), r[0]))
    return Quality(
        filters,
        tuple(
            QualityRow(
                key,
                labels.get(key, str(key)),
                shown(made),
                shown(interviewed),
                shown(hired),
                shown_rate(interviewed, made),
                shown_rate(hired, made),
            )
            for key, made, interviewed, hired in ordered
        ),
        total,
    )


@remembered
def by_referrer(filters: Filters, scope: Scope, limit: int | None = None) -> Quality:
    """Per referrer: HR only (a person's record is not a manager's or a colleague's to see);
    with a `limit`, the referrers with the most referrals."""
    if not scope.sees_people:
        raise AnalyticsError(
            _("Only HR can see the numbers of each referrer."), status=FORBIDDEN, field="by"
        )
    f = with_filters(scope, filters).filters
    rows = _rows(f, scope, F.referrer_id, User.name, User.display_name, limit=limit)
    total = len(rows) if limit is None else _total(f, scope, F.referrer_id)
    return _quality(f, rows, {r[0]: r[2] or r[1] for r in rows}, total)


@remembered
def by_job(filters: Filters, scope: Scope, limit: int | None = None) -> Quality:
    """Per job, within the scope (a manager: their department's jobs); with a `limit`, the
    jobs with the most referrals."""
    f = with_filters(scope, filters).filters
    rows = _rows(f, scope, F.job_id, Job.title, Job.title_en, limit=limit)
    total = len(rows) if limit is None else _total(f, scope, F.job_id)
    return _quality(f, rows, {r[0]: str(choose(r[1], r[2])) for r in rows}, total)
