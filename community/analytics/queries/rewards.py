"""Rewards: what the programme paid and owes, by month of the period.

- Cash paid: payouts marked paid, by the month of their payment date (`paid_on`).
- Cash due: payouts still open (pending or approved), by the month they fall due (`due_on`).
- Points issued: the ledger's earned entries and HR's adjustments (reversals net them out);
  points spent: perk redemptions less refunds. From the per-day rollup; a department's are the
  entries of its people. Job, family and source filters do not apply to points.
- Perks redeemed: redemptions fulfilled, by the month they were asked for.
- Cost per hire: cash paid in the period over the referrals hired in the period, per currency,
  rounded to the minor unit.
- Challenge impact: referrals submitted during each challenge's window against the same length
  just before it, for the challenges whose window meets the period.

Money is integer minor units with its currency, never a float.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import and_, func, select

from community.accounts.models import User
from community.analytics.filters import Filters
from community.analytics.models import PointsDaily
from community.analytics.queries.base import HIRED, F, dimensions, remembered, utc_bounds
from community.analytics.scope import Reach, Scope, with_filters
from community.analytics.suppression import rate
from community.challenges.models import Challenge, ChallengeStatus
from community.core.localized import localized
from community.core.time import to_local
from community.extensions import db
from community.payouts.models import Payout, PayoutStatus
from community.perks.models import Redemption, RedemptionStatus
from community.points.models import PointEntry, PointKind

ISSUED = (PointKind.EARNED, PointKind.ADJUSTMENT)
SPENT = (PointKind.SPENT, PointKind.REFUNDED)
COUNTED_CHALLENGES = (ChallengeStatus.LIVE, ChallengeStatus.SETTLING, ChallengeStatus.FINAL)


@dataclass(frozen=True)
class Amount:
    currency: str
    minor: int


@dataclass(frozen=True)
class MonthRewards:
    month: date  # its first day
    paid: tuple[Amount, ...]
    due: tuple[Amount, ...]
    points_issued: int
    points_spent: int
    perks_redeemed: int


@dataclass(frozen=True)
class Rewards:
    filters: Filters
    months: tuple[MonthRewards, ...]
    paid: tuple[Amount, ...]
    due: tuple[Amount, ...]
    hires: int
    cost_per_hire: tuple[Amount, ...]  # per currency paid; empty without hires
    points_issued: int
    points_spent: int
    perks_redeemed: int


@dataclass(frozen=True)
class ChallengeImpact:
    challenge_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    during: int  # referrals submitted in the window
    before: int  # in the same length just before
    lift: Fraction | None  # during / before - 1 (None when nothing before)


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _amounts(sums: dict[str, int]) -> tuple[Amount, ...]:
    return tuple(Amount(currency, minor) for currency, minor in sorted(sums.items()) if minor)


def _payout_rows(scope: Scope, f: Filters, column: object, statuses: tuple) -> list:
    query = select(column, Payout.currency, Payout.amount_minor).where(
        column >= f.start, column <= f.end, Payout.status.in_(statuses)
    )
    conditions = dimensions(scope, f)
    if conditions:
        query = query.join(F, F.referral_id == Payout.referral_id).where(*conditions)
    return db.session.execute(query).all()


def _points_by_month(scope: Scope, f: Filters) -> dict[tuple[date, str], int]:
    out: dict[tuple[date, str], int] = defaultdict(int)
    if scope.reach == Reach.OWN:  # one person's entries: a short read of their own ledger
        low, high = utc_bounds(f.start, f.end)
        rows = db.session.execute(
            select(PointEntry.created_at, PointEntry.kind, PointEntry.amount).where(
                PointEntry.user_id == scope.referrer_id,
                PointEntry.created_at >= low,
                PointEntry.created_at < high,
            )
        ).all()
        for created_at, kind, amount in rows:
            out[(to_local(created_at).date().replace(day=1), kind)] += amount
        return out
    query = (
        select(PointsDaily.day, PointsDaily.kind, func.sum(PointsDaily.total))
        .where(PointsDaily.day >= f.start, PointsDaily.day <= f.end)
        .group_by(PointsDaily.day, PointsDaily.kind)
    )
    if f.department_id is not None:
        query = query.where(PointsDaily.department_id == f.department_id)
    for day, kind, total in db.session.execute(query):
        out[(day.replace(day=1), kind)] += int(total)
    return out


def _redemptions_by_month(scope: Scope, f: Filters) -> dict[date, int]:
    low, high = utc_bounds(f.start, f.end)
    query = select(Redemption.created_at).where(
        Redemption.status == RedemptionStatus.FULFILLED,
        Redemption.created_at >= low,
        Redemption.created_at < high,
    )
    if scope.reach == Reach.OWN:
        query = query.where(Redemption.user_id == scope.referrer_id)
    elif f.department_id is not None:
        query = query.join(User, User.id == Redemption.user_id).where(
            User.department_id == f.department_id
        )
    out: dict[date, int] = defaultdict(int)
    for (created_at,) in db.session.execute(query):
        out[to_local(created_at).date().replace(day=1)] += 1
    return out


@remembered
def rewards(filters: Filters, scope: Scope) -> Rewards:
    """Cash paid and due, points issued and spent, perks redeemed by month; cost per hire."""
    f = with_filters(scope, filters).filters
    paid: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for paid_on, currency, minor in _payout_rows(scope, f, Payout.paid_on, (PayoutStatus.PAID,)):
        paid[paid_on.replace(day=1)][currency] += minor
    due: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    open_statuses = (PayoutStatus.PENDING, PayoutStatus.APPROVED)
    for due_on, currency, minor in _payout_rows(scope, f, Payout.due_on, open_statuses):
        due[due_on.replace(day=1)][currency] += minor
    points = _points_by_month(scope, f)
    perks = _redemptions_by_month(scope, f)
    months = []
    for month in _months(f.start, f.end):
        months.append(
            MonthRewards(
                month,
                _amounts(paid[month]),
                _amounts(due[month]),
                sum(points.get((month, kind), 0) for kind in ISSUED),
                -sum(points.get((month, kind), 0) for kind in SPENT),
                perks.get(month, 0),
            )
        )
    paid_total: dict[str, int] = defaultdict(int)
    due_total: dict[str, int] = defaultdict(int)
    for month in months:
        for amount in month.paid:
            paid_total[amount.currency] += amount.minor
        for amount in month.due:
            due_total[amount.currency] += amount.minor
    hires = db.session.scalar(
        select(func.count(F.referral_id)).where(
            and_(F.hired_on >= f.start, F.hired_on <= f.end, HIRED),
            *dimensions(scope, f),
        )
    )
    cost = tuple(
        Amount(currency, round(Fraction(minor, hires))) for currency, minor in paid_total.items()
    )
    return Rewards(
        f,
        tuple(months),
        _amounts(paid_total),
        _amounts(due_total),
        int(hires or 0),
        cost if hires else (),
        sum(m.points_issued for m in months),
        sum(m.points_spent for m in months),
        sum(m.perks_redeemed for m in months),
    )


@remembered
def challenge_impact(filters: Filters, scope: Scope) -> tuple[ChallengeImpact, ...]:
    """For each challenge whose window meets the period: referrals submitted during the window
    (within the scope) against the same length just before it."""
    f = with_filters(scope, filters).filters
    low, high = utc_bounds(f.start, f.end)
    challenges = db.session.scalars(
        select(Challenge)
        .where(
            Challenge.status.in_(COUNTED_CHALLENGES),
            Challenge.starts_at < high,
            Challenge.ends_at >= low,
        )
        .order_by(Challenge.starts_at, Challenge.id)
    ).all()
    result = []
    for challenge in challenges:
        length = challenge.ends_at - challenge.starts_at

        def made(start: datetime, end: datetime) -> int:
            return int(
                db.session.scalar(
                    select(func.count(F.referral_id)).where(
                        F.submitted_at >= start, F.submitted_at < end, *dimensions(scope, f)
                    )
                )
                or 0
            )

        during = made(challenge.starts_at, challenge.ends_at)
        before = made(challenge.starts_at - length, challenge.starts_at)
        result.append(
            ChallengeImpact(
                challenge.id,
                str(localized(challenge, "title")),
                challenge.starts_at,
                challenge.ends_at,
                during,
                before,
                rate(during - before, before),
            )
        )
    return tuple(result)
