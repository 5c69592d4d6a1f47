"""Participation: the share of each department's people who referred in the period.

Who counts (the denominator): accounts active at some point in the period (created before it
ended, not deactivated before it began) whose role is not HR. HR run the programme and decide on
referrals; counting them would dilute the departments' shares (decided for issue 15; HR's own
referrals still count everywhere else). A person counts in their department as it is today.

Who referred (the numerator): those among them with at least one referral SUBMITTED in the
period (any source: a candidate applying through their link, code or invitation is their
referral too), within the job, family and source filters; repeat referrers made two or more.
The department filter picks the people's department here (elsewhere: the job's).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import and_, func, or_, select

from community.accounts.models import User
from community.analytics.filters import Filters
from community.analytics.queries.base import F, department_labels, remembered, utc_bounds
from community.analytics.scope import Reach, Scope, with_filters
from community.analytics.suppression import rate
from community.core.roles import Role
from community.extensions import db

REPEAT = 2


@dataclass(frozen=True)
class Share:
    people: int
    referrers: int
    repeat_referrers: int

    @property
    def share(self) -> Fraction | None:
        return rate(self.referrers, self.people)

    @property
    def repeat_share(self) -> Fraction | None:
        return rate(self.repeat_referrers, self.referrers)


@dataclass(frozen=True)
class DepartmentShare:
    department_id: int
    label: str
    participation: Share


@dataclass(frozen=True)
class Participation:
    filters: Filters
    departments: tuple[DepartmentShare, ...]  # lowest share first, then by name
    company: Share  # every department (an aggregate: no person in it can be told apart)
    own_referrals: int | None = None  # an employee's own count (their scope)


def _counted_people(filters: Filters) -> list:
    low, high = utc_bounds(filters.start, filters.end)
    return [
        User.role != Role.HR,
        User.department_id.is_not(None),
        User.created_at < high,
        or_(User.is_active_account.is_(True), User.deactivated_at >= low),
    ]


def _referral_counts(filters: Filters) -> object:
    """Referrals per referrer in the period, within the job, family and source filters."""
    conditions = [F.submitted_on >= filters.start, F.submitted_on <= filters.end]
    if filters.job_id is not None:
        conditions.append(F.job_id == filters.job_id)
    if filters.family is not None:
        conditions.append(F.family == filters.family)
    if filters.source is not None:
        conditions.append(F.source == filters.source)
    return (
        select(F.referrer_id, func.count(F.referral_id).label("made"))
        .where(and_(*conditions))
        .group_by(F.referrer_id)
        .subquery()
    )


@remembered
def participation(filters: Filters, scope: Scope) -> Participation:
    """Each department's share of people who referred in the period, and the company's."""
    f = with_filters(scope, filters).filters
    made = _referral_counts(f)
    rows = db.session.execute(
        select(
            User.department_id,
            func.count(User.id),
            func.count(made.c.referrer_id),
            func.count(made.c.referrer_id).filter(made.c.made >= REPEAT),
        )
        .outerjoin(made, made.c.referrer_id == User.id)
        .where(*_counted_people(f))
        .group_by(User.department_id)
    ).all()
    shares = {row[0]: Share(int(row[1]), int(row[2]), int(row[3])) for row in rows}
    company = Share(
        sum(s.people for s in shares.values()),
        sum(s.referrers for s in shares.values()),
        sum(s.repeat_referrers for s in shares.values()),
    )
    wanted = f.department_id
    if scope.reach == Reach.OWN:
        wanted = -1  # no department rows: an employee sees their own count and the company's
    names = department_labels([d for d in shares if d is not None])
    departments = [
        DepartmentShare(dep, names.get(dep, str(dep)), share)
        for dep, share in shares.items()
        if wanted is None or dep == wanted
    ]
    departments.sort(key=lambda d: (d.participation.share or 0, d.label))
    own = None
    if scope.referrer_id is not None:
        own = db.session.scalar(
            select(func.coalesce(func.max(made.c.made), 0)).where(
                made.c.referrer_id == scope.referrer_id
            )
        )
    return Participation(f, tuple(departments), company, own)
