"""A small company whose numbers are known by hand (tests/analytics/test_numbers_*.py).

Two departments: Engineering (a manager and two employees) and Finance (two employees, one who
never refers), HR apart. Times are noon in Shanghai (04:00 UTC), so no day boundary is near.

In Q3 2026 (1 Jul - 30 Sep), "today" being 15 Oct 2026:
- r1 emp1 -> eng job, 1 Jul: screening 3 Jul, interview 10 Jul, offer 20 Jul, hired 25 Jul
  (starts 1 Aug), probation passed 1 Oct
- r2 emp1 -> eng job, 2 Jul: straight to interview 8 Jul, offer 15 Jul, declined 18 Jul
- r3 emp2 -> eng job, 3 Aug: screening 10 Aug, rejected 12 Aug
- r4 emp3 -> fin job, 5 Aug: never reviewed
- r5 manager -> fin job, 1 Sep: screening 2 Sep, interview 9 Sep, offer 15 Sep, hired 20 Sep
  (starts 1 Nov: not started yet)
Before: r6 emp2 -> eng job, 5 May: screening 6 May. r7 emp3 -> fin job, 5 Jan: screening 7 Jan,
interview 14 Jan, offer 2 Feb, hired 10 Feb (starts 16 Feb), left the company 1 Jun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
import time_machine

from community.accounts.models import Department, Role, User
from community.analytics import rollups
from community.analytics.filters import Filters
from community.extensions import db
from community.jobs.models import Job, JobFamily
from community.pipeline import Stage
from community.referrals.models import Referral
from community.referrals.services import advance_stage, record_left_company
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

TODAY = datetime(2026, 10, 15, 4, 0)
Q3 = Filters(start=date(2026, 7, 1), end=date(2026, 9, 30))


def noon(month: int, day: int, year: int = 2026) -> datetime:
    """Noon in Shanghai on that day, as stored (naive UTC)."""
    return datetime(year, month, day, 4, 0)


@dataclass
class Corpus:
    hr: User
    eng: Department
    fin: Department
    manager: User
    emp1: User
    emp2: User
    emp3: User
    emp4: User
    eng_job: Job
    fin_job: Job
    r: dict[int, Referral]


def refer(referrer: User, job: Job, at: datetime, **overrides: Any) -> Referral:
    with time_machine.travel(at, tick=False):
        return make_referral(referrer=referrer, job=job, **overrides)


def move(referral: Referral, hr: User, *steps: tuple[Stage, datetime]) -> None:
    for stage, at in steps:
        with time_machine.travel(at, tick=False):
            advance_stage(referral, stage, hr, at=at)


def build_corpus() -> Corpus:
    with time_machine.travel(datetime(2025, 12, 1, 4, 0), tick=False):
        eng, fin = make_department("Engineering"), make_department("Finance")
        hr = make_user(role=Role.HR, department=eng, name="Hana HR")
        manager = make_user(role=Role.MANAGER, department=eng, name="Mo Manager")
        emp1 = make_user(department=eng, name="Emma One")
        emp2 = make_user(department=eng, name="Eli Two")
        emp3 = make_user(department=fin, name="Fay Three")
        emp4 = make_user(department=fin, name="Finn Four")
        eng_job = make_job(department=eng, title="Backend Engineer", family=JobFamily.ENGINEERING)
        fin_job = make_job(department=fin, title="Accountant", family=JobFamily.FINANCE)
    S = Stage
    r: dict[int, Referral] = {}
    r[7] = refer(emp3, fin_job, noon(1, 5))
    move(
        r[7],
        hr,
        (S.SCREENING, noon(1, 7)),
        (S.INTERVIEWING, noon(1, 14)),
        (S.OFFER, noon(2, 2)),
    )
    with time_machine.travel(noon(2, 10), tick=False):
        advance_stage(r[7], S.HIRED, hr, at=noon(2, 10), start_date=date(2026, 2, 16))
    r[6] = refer(emp2, eng_job, noon(5, 5))
    move(r[6], hr, (S.SCREENING, noon(5, 6)))
    with time_machine.travel(noon(6, 2), tick=False):
        record_left_company(r[7], hr, date(2026, 6, 1))
    r[1] = refer(emp1, eng_job, noon(7, 1))
    r[2] = refer(emp1, eng_job, noon(7, 2))
    move(r[1], hr, (S.SCREENING, noon(7, 3)))
    move(r[2], hr, (S.INTERVIEWING, noon(7, 8)))
    move(r[1], hr, (S.INTERVIEWING, noon(7, 10)))
    move(r[2], hr, (S.OFFER, noon(7, 15)))
    with time_machine.travel(noon(7, 18), tick=False):
        advance_stage(r[2], S.WITHDRAWN, hr, at=noon(7, 18), reason_code="declined_offer")
    move(r[1], hr, (S.OFFER, noon(7, 20)))
    with time_machine.travel(noon(7, 25), tick=False):
        advance_stage(r[1], S.HIRED, hr, at=noon(7, 25), start_date=date(2026, 8, 1))
    r[3] = refer(emp2, eng_job, noon(8, 3))
    r[4] = refer(emp3, fin_job, noon(8, 5))
    move(r[3], hr, (S.SCREENING, noon(8, 10)))
    with time_machine.travel(noon(8, 12), tick=False):
        advance_stage(r[3], S.REJECTED, hr, at=noon(8, 12), reason_code="skills")
    r[5] = refer(manager, fin_job, noon(9, 1))
    move(
        r[5],
        hr,
        (S.SCREENING, noon(9, 2)),
        (S.INTERVIEWING, noon(9, 9)),
        (S.OFFER, noon(9, 15)),
    )
    with time_machine.travel(noon(9, 20), tick=False):
        advance_stage(r[5], S.HIRED, hr, at=noon(9, 20), start_date=date(2026, 11, 1))
    move(r[1], hr, (S.PROBATION_PASSED, noon(10, 1)))
    return Corpus(hr, eng, fin, manager, emp1, emp2, emp3, emp4, eng_job, fin_job, r)


@pytest.fixture
def corpus() -> Corpus:
    """The known company, its rollups brought up to date, the clock stopped at `TODAY`."""
    built = build_corpus()
    with time_machine.travel(TODAY, tick=False):
        rollups.run(TODAY)
        db.session.commit()
        yield built


@pytest.fixture
def today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield TODAY
