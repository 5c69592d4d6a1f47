"""Retention, participation, quality (with suppression) and rewards on the known company."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from community.analytics import rollups
from community.analytics.filters import AnalyticsError, Filters
from community.analytics.queries import participation as participation_q
from community.analytics.queries import quality as quality_q
from community.analytics.queries import retention as retention_q
from community.analytics.queries import rewards as rewards_q
from community.analytics.scope import scope_for
from community.extensions import db
from community.jobs.models import JobFamily
from community.payouts.models import Payout
from community.payouts.services import approve_payout, mark_paid
from community.points.models import PointEntry, PointKind
from tests.analytics.conftest import Q3, TODAY, Corpus, refer
from tests.factories import make_job


def test_retention_by_hire_month_shows_not_yet_for_young_cohorts(corpus: Corpus) -> None:
    year = Filters(start=date(2026, 1, 1), end=date(2026, 9, 30))
    result = retention_q.retention(year, scope_for(corpus.hr, year))
    assert [(c.month, c.hires, c.left) for c in result.cohorts] == [
        (date(2026, 2, 1), 1, 1),
        (date(2026, 7, 1), 1, 0),
        (date(2026, 9, 1), 1, 0),
    ]
    february = result.cohorts[0]
    # started 16 Feb, left 1 Jun: there at 90 days (17 May), gone at 180, 365 not reached
    assert february.at(90).retained == 1 and february.at(90).rate == Fraction(1)
    assert february.at(180).retained == 0 and february.at(180).rate == Fraction(0)
    assert february.at(365).retained is None and february.at(365).rate is None
    july = result.cohorts[1]  # started 1 Aug: 90 days is 30 Oct, after today
    assert [kept.rate for kept in july.horizons] == [None, None, None]


def test_participation_per_department_and_company(corpus: Corpus) -> None:
    result = participation_q.participation(Q3, scope_for(corpus.hr, Q3))
    rows = {d.label: d.participation for d in result.departments}
    # HR are not counted: Engineering is the manager and two employees, who all referred
    assert (rows["Engineering"].people, rows["Engineering"].referrers) == (3, 3)
    assert rows["Engineering"].repeat_referrers == 1  # emp1, twice
    assert (rows["Finance"].people, rows["Finance"].referrers) == (2, 1)
    assert rows["Finance"].share == Fraction(1, 2)
    assert [d.label for d in result.departments] == ["Finance", "Engineering"]  # lowest first
    assert (result.company.people, result.company.referrers) == (5, 4)
    assert result.company.share == Fraction(4, 5)
    assert result.company.repeat_share == Fraction(1, 4)


def test_quality_suppresses_small_numbers(corpus: Corpus) -> None:
    result = quality_q.by_job(Q3, scope_for(corpus.hr, Q3))
    assert [(row.label, row.referrals, row.interviewed, row.hired) for row in result.rows] == [
        ("Backend Engineer", "<5", "<5", "<5"),
        ("Accountant", "<5", "<5", "<5"),
    ]
    assert all(row.interview_rate is None and row.hire_rate is None for row in result.rows)


def test_quality_shows_counts_and_rates_from_five(corpus: Corpus) -> None:
    busy = make_job(department=corpus.eng, title="Data Engineer", family=JobFamily.ENGINEERING)
    made = [refer(corpus.emp2, busy, TODAY.replace(month=9, day=d)) for d in (21, 22, 23, 24, 25)]
    made.append(refer(corpus.emp1, busy, TODAY.replace(month=9, day=28)))
    rollups.run(TODAY)
    by_job = quality_q.by_job(Q3, scope_for(corpus.hr, Q3))
    busy_row = next(row for row in by_job.rows if row.key == busy.id)
    assert (busy_row.referrals, busy_row.interviewed) == (6, "<5")
    assert busy_row.interview_rate == Fraction(0)
    by_referrer = {
        row.label: row for row in quality_q.by_referrer(Q3, scope_for(corpus.hr, Q3)).rows
    }
    assert by_referrer["Eli Two"].referrals == 6  # r3 and five to the data job
    assert by_referrer["Eli Two"].interview_rate == Fraction(0)
    assert by_referrer["Emma One"].referrals == "<5" and by_referrer["Emma One"].hire_rate is None


def test_quality_by_referrer_is_for_hr_only(corpus: Corpus) -> None:
    for viewer in (corpus.manager, corpus.emp1):
        with pytest.raises(AnalyticsError) as refused:
            quality_q.by_referrer(Q3, scope_for(viewer, Q3))
        assert refused.value.status == 403


def test_rewards_cash_points_and_cost_per_hire(corpus: Corpus) -> None:
    payouts = db.session.scalars(select(Payout).order_by(Payout.id)).all()
    assert payouts, "a hire makes payouts under the default rules"
    first = payouts[0]
    approve_payout(first, corpus.hr, at=TODAY)
    mark_paid(first, corpus.hr, date(2026, 8, 20), "PAY-1", at=TODAY)
    rollups.run(TODAY)
    result = rewards_q.rewards(Q3, scope_for(corpus.hr, Q3))
    august = next(m for m in result.months if m.month == date(2026, 8, 1))
    assert [(a.currency, a.minor) for a in august.paid] == [(first.currency, first.amount_minor)]
    assert result.hires == 2  # r1 in July, r5 in September
    assert [(a.currency, a.minor) for a in result.cost_per_hire] == [
        (first.currency, round(Fraction(first.amount_minor, 2)))
    ]
    open_in_q3 = sum(
        p.amount_minor
        for p in payouts[1:]
        if p.due_on and Q3.start <= p.due_on <= Q3.end and p.status.is_open
    )
    assert sum(a.minor for a in result.due) == open_in_q3
    low, high = date(2026, 7, 1), date(2026, 9, 30)
    issued = db.session.scalar(  # the naive sum over the ledger (noon entries: no zone edge)
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.kind.in_([PointKind.EARNED, PointKind.ADJUSTMENT]),
            func.date(PointEntry.created_at) >= low,
            func.date(PointEntry.created_at) <= high,
        )
    )
    assert result.points_issued == issued > 0
