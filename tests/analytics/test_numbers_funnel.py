"""The funnel and the time in stage on the known company (conftest): exact counts and rates."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from community.analytics.filters import Filters, previous
from community.analytics.queries import funnel as funnel_q
from community.analytics.queries import timing as timing_q
from community.analytics.scope import scope_for
from community.pipeline import Stage
from tests.analytics.conftest import Q3, Corpus

DAY = 86400


def _counts(f: funnel_q.Funnel) -> dict[str, int]:
    return {step.key: step.count for step in f.steps}


def test_cohort_funnel_counts_each_step_reached_or_passed(corpus: Corpus) -> None:
    result = funnel_q.funnel(Q3, scope_for(corpus.hr, Q3))
    assert _counts(result) == {
        "submitted": 5,
        "screened": 4,  # r2 went straight to interview: screened too
        "interviewed": 3,
        "offer": 3,
        "accepted": 2,  # r2 declined the offer (a withdrawal)
        "started": 1,  # r5 starts on 1 Nov
        "probation_passed": 1,
    }
    assert result.step("screened").conversion == Fraction(4, 5)
    assert result.step("accepted").conversion == Fraction(2, 3)
    assert result.step("started").overall == Fraction(1, 5)
    assert result.step("submitted").conversion is None


def test_comparison_with_the_period_just_before(corpus: Corpus) -> None:
    assert previous(Q3) == Filters(start=date(2026, 3, 31), end=date(2026, 6, 30))
    comparison = funnel_q.compare(Q3, scope_for(corpus.hr, Q3))
    assert _counts(comparison.previous)["submitted"] == 1  # r6, 5 May
    assert _counts(comparison.previous)["screened"] == 1
    assert comparison.change("submitted") == 4
    assert comparison.change("accepted") == 2


def test_funnel_by_department_family_source_and_job(corpus: Corpus) -> None:
    scope = scope_for(corpus.hr, Q3)
    by_department = funnel_q.funnel_by(Q3, scope, "department")
    assert [(row.key, row.label, _counts(row.funnel)["submitted"]) for row in by_department] == [
        (corpus.eng.id, "Engineering", 3),
        (corpus.fin.id, "Finance", 2),
    ]
    by_family = {row.key: _counts(row.funnel) for row in funnel_q.funnel_by(Q3, scope, "family")}
    assert by_family["finance"]["accepted"] == 1
    assert by_family["engineering"]["interviewed"] == 2
    by_source = funnel_q.funnel_by(Q3, scope, "source")
    assert [(row.key, _counts(row.funnel)["submitted"]) for row in by_source] == [("form", 5)]
    only_fin = Filters(start=Q3.start, end=Q3.end, job_id=corpus.fin_job.id)
    assert _counts(funnel_q.funnel(only_fin, scope_for(corpus.hr, only_fin)))["submitted"] == 2


def test_time_in_each_stage_and_time_to_hire(corpus: Corpus) -> None:
    result = timing_q.timing(Q3, scope_for(corpus.hr, Q3))
    submitted = result.stages[0]
    assert submitted.stage == Stage.SUBMITTED
    # r5 1 day, r1 2 days, r2 6 days, r3 7 days; r4 still waiting (not counted)
    assert submitted.spread.count == 4
    assert submitted.spread.median_seconds == 2 * DAY
    assert submitted.spread.p90_seconds == 7 * DAY
    screening = result.stages[1].spread  # r1 7 days, r3 2 days (rejected), r5 7 days
    assert (screening.count, screening.median_seconds) == (3, 7 * DAY)
    hired = result.stages[4].spread  # r1 hired 25 Jul, probation passed 1 Oct; r5 still hired
    assert (hired.count, hired.median_seconds) == (1, int(timedelta(days=68).total_seconds()))
    assert result.time_to_hire.count == 2
    assert result.time_to_hire.median_seconds == 19 * DAY  # r5
    assert result.time_to_hire.p90_seconds == 24 * DAY  # r1


def test_first_review_sla(corpus: Corpus) -> None:
    result = timing_q.sla(Q3, scope_for(corpus.hr, Q3))
    # three working days: r1 (Wed -> Fri) and r5 (Tue -> Wed) in time; r2 (Thu -> next Wed)
    # and r3 (Mon -> next Mon) late; r4 never reviewed, long overdue
    assert (result.reviewed_in_time, result.reviewed_late) == (2, 2)
    assert (result.waiting_in_time, result.waiting_overdue) == (0, 1)
    assert result.breaches == 3
    assert result.breach_rate == Fraction(3, 5)
