"""The weak-spot finder: rules that read the dashboard's numbers and say, in plain words, where
the referral program is failing, each with a link to its numbers and the seed's suggested action
(a bigger reward for a hard job, a sharing session for a quiet department).

The rules are pure functions of `Facts` (plain numbers), so tests craft the numbers directly;
`views/findings.py` fills `Facts` from the analytics queries. Each threshold is a named
constant below. A rule never speaks about a small sample: under its floor it stays silent,
because "0% of 2 referrals" measures nothing and would shame someone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _

from community.analytics.charts import cell_text

# A department is quiet when its share of people who referred is under this part of the
# company's (half), among at least QUIET_MIN_PEOPLE people.
QUIET_SHARE_RATIO = Fraction(1, 2)
QUIET_MIN_PEOPLE = 5
# A job family (or a job) is weak when the share of its referrals that reach an interview is
# under this part of the company's, among at least WEAK_MIN_REFERRALS referrals.
WEAK_REACH_RATIO = Fraction(1, 2)
WEAK_MIN_REFERRALS = 10
# First review is slow when its median is over the SLA, among at least SLOW_MIN_REVIEWED reviews,
# and at least SLOW_LATE_SHARE of them broke it: the SLA counts working days and the median
# calendar days, so a median just over it across a weekend alone is not a finding.
SLOW_MIN_REVIEWED = 5
SLOW_LATE_SHARE = Fraction(1, 4)
# A job has waited long when it has been open this many days without a single referral.
STALE_JOB_DAYS = 30


class Kind(enum.StrEnum):
    QUIET_DEPARTMENT = "quiet_department"
    WEAK_FAMILY = "weak_family"
    WEAK_JOB = "weak_job"
    SLOW_FIRST_REVIEW = "slow_first_review"
    STALE_JOB = "stale_job"


@dataclass(frozen=True)
class Action:
    """The suggested next step: a button to `endpoint` with `values` (query args included)."""

    label: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    hr_only: bool = True


@dataclass(frozen=True)
class Finding:
    """One weak spot: what it is, in words; the dashboard section and filters that show its
    numbers (`section`, `filters`: overrides of the reader's filters); the department it is
    about (None: the whole company, HR's alone); the suggested action."""

    kind: Kind
    message: str
    section: str
    filters: dict[str, Any]
    department_id: int | None
    action: Action | None = None


@dataclass(frozen=True)
class DepartmentShare:
    department_id: int
    name: str
    people: int
    referrers: int


@dataclass(frozen=True)
class Reach:
    """How many referrals of a group (a family or a job) there were, and reached an interview."""

    key: str
    label: str
    referrals: int
    interviewed: int
    department_id: int | None = None


@dataclass(frozen=True)
class OpenJob:
    job_id: int
    title: str
    department_id: int
    open_days: int
    referrals: int


@dataclass(frozen=True)
class Facts:
    """The numbers the rules read, for one period and scope. `period` is how the messages name
    the period ("this quarter")."""

    period: str
    departments: tuple[DepartmentShare, ...] = ()
    company_people: int = 0
    company_referrers: int = 0
    families: tuple[Reach, ...] = ()
    jobs: tuple[Reach, ...] = ()
    company_referrals: int = 0
    company_interviewed: int = 0
    review_median_days: Fraction | None = None
    reviewed: int = 0
    sla_days: int | None = None
    late_share: Fraction | None = None  # of first reviews, late or overdue
    open_jobs: tuple[OpenJob, ...] = ()


def _days(value: Fraction) -> str:
    """A number of days with at most one decimal, in the reader's language: "6", "2.5"."""
    tenths = round(value * 10)
    return format_decimal(Decimal(tenths) / 10)


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def quiet_departments(facts: Facts) -> Iterable[Finding]:
    company = _share(facts.company_referrers, facts.company_people)
    if not company:
        return
    for department in facts.departments:
        if department.people < QUIET_MIN_PEOPLE:
            continue  # too few people to call them quiet
        share = Fraction(department.referrers, department.people)
        if share >= company * QUIET_SHARE_RATIO:
            continue
        yield Finding(
            Kind.QUIET_DEPARTMENT,
            _(
                "%(department)s: %(share)s of people referred %(period)s, company %(company)s.",
                department=department.name,
                share=cell_text(share),
                period=facts.period,
                company=cell_text(company),
            ),
            "participation",
            {"department": department.department_id},
            department.department_id,
            Action(
                _("Offer a sharing session"),
                "sharing.new",
                _session_words(department.name),
                hr_only=False,
            ),
        )


def _session_words(department: str) -> dict[str, str]:
    """The sharing session's title and description in both languages (the form has both)."""
    words: dict[str, str] = {}
    for locale, suffix in (("zh_CN", ""), ("en", "_en")):
        with force_locale(locale):
            words["title" + suffix] = _("Referral tips for %(department)s", department=department)
            words["description" + suffix] = _(
                "How referring works, what a good fit looks like and how to reach people: a short session for %(department)s.",
                department=department,
            )
    return words


def _weak(facts: Facts, groups: tuple[Reach, ...], kind: Kind) -> Iterable[Finding]:
    company = _share(facts.company_interviewed, facts.company_referrals)
    if not company:
        return
    for group in groups:
        if group.referrals < WEAK_MIN_REFERRALS:
            continue
        reach = Fraction(group.interviewed, group.referrals)
        if reach >= company * WEAK_REACH_RATIO:
            continue
        values = {
            "share": cell_text(reach),
            "company": cell_text(company),
            "group": group.label,
        }
        if kind == Kind.WEAK_FAMILY:
            message = _(
                "%(group)s jobs: %(share)s of referrals reach interview, company %(company)s.",
                **values,
            )
            action = Action(_("Sharpen these jobs' profiles"), "jobs.manage", {"status": "open"})
            filters = {"family": group.key}
        else:
            message = _(
                "%(group)s: %(share)s of referrals reach interview, company %(company)s.", **values
            )
            action = Action(_("Sharpen the job profile"), "jobs.edit", {"job_id": int(group.key)})
            filters = {"job": group.key}
        yield Finding(kind, message, "funnel", filters, group.department_id, action)


def weak_families(facts: Facts) -> Iterable[Finding]:
    return _weak(facts, facts.families, Kind.WEAK_FAMILY)


def weak_jobs(facts: Facts) -> Iterable[Finding]:
    return _weak(facts, facts.jobs, Kind.WEAK_JOB)


def slow_first_review(facts: Facts) -> Iterable[Finding]:
    median, sla = facts.review_median_days, facts.sla_days
    if median is None or sla is None or facts.reviewed < SLOW_MIN_REVIEWED or median <= sla:
        return
    if facts.late_share is None or facts.late_share < SLOW_LATE_SHARE:
        return
    yield Finding(
        Kind.SLOW_FIRST_REVIEW,
        _(
            "Time to first review: %(median)s; the SLA is %(sla)s.",
            median=ngettext(
                "%(days)s day", "%(days)s days", 1 if median == 1 else 2, days=_days(median)
            ),
            sla=ngettext("%(days)s working day", "%(days)s working days", sla, days=sla),
        ),
        "timing",
        {},
        None,
        Action(_("Open the review queue"), "referrals.queue"),
    )


def stale_jobs(facts: Facts) -> Iterable[Finding]:
    for job in facts.open_jobs:
        if job.referrals or job.open_days < STALE_JOB_DAYS:
            continue
        yield Finding(
            Kind.STALE_JOB,
            ngettext(
                "%(job)s: open for %(num)s day without a referral.",
                "%(job)s: open for %(num)s days without a referral.",
                job.open_days,
                job=job.title,
            ),
            "funnel",
            {"job": job.job_id},
            job.department_id,
            Action(_("Raise the reward"), "jobs.edit", {"job_id": job.job_id}),
        )


RULES: tuple[Callable[[Facts], Iterable[Finding]], ...] = (
    quiet_departments,
    weak_families,
    weak_jobs,
    slow_first_review,
    stale_jobs,
)


def find(facts: Facts) -> list[Finding]:
    """Every finding the rules make of `facts`, rule by rule."""
    return [finding for rule in RULES for finding in rule(facts)]


def for_department(findings: list[Finding], department_id: int | None) -> list[Finding]:
    """What a manager reads: the findings about their own department only."""
    return [f for f in findings if department_id is not None and f.department_id == department_id]
