"""Who sees what (scope) and what a bad filter gets (a 4xx naming the field, in the reader's
language)."""

from __future__ import annotations

from datetime import date

import pytest

from community.analytics.filters import AnalyticsError, Filters, parse_filters, previous
from community.analytics.queries import funnel as funnel_q
from community.analytics.queries import participation as participation_q
from community.analytics.scope import Reach, scope_for
from community.jobs.models import JobFamily
from community.referrals.models import ReferralSource
from tests.analytics.conftest import Q3, Corpus
from tests.factories import make_department, make_user

TODAY = date(2026, 10, 15)


def test_manager_is_held_to_their_own_department(corpus: Corpus) -> None:
    scope = scope_for(corpus.manager, Q3)
    assert scope.reach == Reach.DEPARTMENT and scope.department_id == corpus.eng.id
    # the manager's own referral to Finance (r5) is not in Engineering's numbers
    assert funnel_q.funnel(Q3, scope).count("submitted") == 3
    shares = participation_q.participation(Q3, scope)
    assert [d.label for d in shares.departments] == ["Engineering"]
    asked_finance = Filters(start=Q3.start, end=Q3.end, department_id=corpus.fin.id)
    with pytest.raises(AnalyticsError) as refused:
        scope_for(corpus.manager, asked_finance)
    assert refused.value.status == 403
    assert "own department" in refused.value.message


def test_previous_period_keeps_the_forced_department(corpus: Corpus) -> None:
    comparison = funnel_q.compare(Q3, scope_for(corpus.manager, Q3))
    assert comparison.previous.filters.department_id == corpus.eng.id
    assert comparison.previous.count("submitted") == 1  # r6 (Engineering), not r7 (Finance)


def test_employee_sees_their_own_referrals(corpus: Corpus) -> None:
    scope = scope_for(corpus.emp1, Q3)
    assert scope.reach == Reach.OWN and scope.referrer_id == corpus.emp1.id
    assert funnel_q.funnel(Q3, scope).count("submitted") == 2
    assert funnel_q.funnel(Q3, scope_for(corpus.emp4, Q3)).count("submitted") == 0
    mine = participation_q.participation(Q3, scope)
    assert mine.departments == () and mine.own_referrals == 2


def test_manager_without_a_department_sees_their_own() -> None:
    manager = make_user(role="manager")
    manager.department_id = None
    assert scope_for(manager, Q3).reach == Reach.OWN


def test_parse_filters_defaults_and_periods() -> None:
    department = make_department("Sales")
    assert parse_filters({}, TODAY) == Filters(
        start=date(2026, 10, 1), end=date(2026, 12, 31), period="quarter"
    )
    month = parse_filters({"period": "month"}, TODAY)
    assert (month.start, month.end) == (date(2026, 10, 1), date(2026, 10, 31))
    year = parse_filters({"period": "year"}, TODAY)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    custom = parse_filters(
        {
            "start": "2026-07-01",
            "end": "2026-09-30",
            "department": str(department.id),
            "family": "finance",
            "source": "link",
        },
        TODAY,
    )
    assert custom == Filters(
        start=date(2026, 7, 1),
        end=date(2026, 9, 30),
        department_id=department.id,
        family=JobFamily.FINANCE,
        source=ReferralSource.LINK,
        period="custom",
    )
    assert previous(custom).end == date(2026, 6, 30) and previous(custom).days == custom.days


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({"start": "2026-13-01", "end": "2026-10-01"}, "start", "YYYY-MM-DD"),
        ({"start": "2026-09-01", "end": "2026-08-01"}, "end", "before the start"),
        ({"start": "2022-01-01", "end": "2026-01-01"}, "end", "three years"),
        ({"start": "1999-12-01", "end": "2000-02-01"}, "start", "2000"),
        ({"start": "2026-10-01", "end": "2026-10-30"}, "end", "future"),
        ({"start": "2026-10-01"}, "end", "both"),
        ({"period": "decade"}, "period", "unknown"),
        ({"department": "999999"}, "department", "unknown"),
        ({"department": "abc"}, "department", "unknown"),
        ({"job": "424242"}, "job", "unknown"),
        ({"family": "astrology"}, "family", "unknown"),
        ({"source": "pigeon"}, "source", "unknown"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(
    args: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(AnalyticsError) as refused:
        parse_filters(args, TODAY)
    assert refused.value.status == 400
    assert refused.value.field == field
    assert words in refused.value.message


def test_tomorrow_is_allowed_as_an_end(corpus: Corpus) -> None:
    f = parse_filters({"start": "2026-10-01", "end": "2026-10-16"}, TODAY)
    assert f.end == date(2026, 10, 16)
