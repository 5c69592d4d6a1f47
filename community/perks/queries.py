"""Reading the perk shop: perks, redemptions, yearly counts, and a person's points history with
what caused each entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, case, cast, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from community.accounts.models import User
from community.core.i18n import current_locale
from community.core.sorting import Direction, Sort, Sorting, SortKey
from community.core.time import company_tz, to_local, utcnow
from community.extensions import db
from community.perks.models import Perk, Redemption, RedemptionStatus
from community.points.models import PointEntry
from community.referrals.models import Referral

COUNTED = (RedemptionStatus.PENDING, RedemptionStatus.FULFILLED)  # a rejection frees the slot


def year_bounds(at: datetime | None = None) -> tuple[datetime, datetime]:
    """The company-time-zone calendar year containing `at`, as naive UTC [start, end)."""
    tz = company_tz()
    year = to_local(at or utcnow(), tz).year

    def start_of(y: int) -> datetime:
        return datetime(y, 1, 1, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)

    return start_of(year), start_of(year + 1)


def redeemed_this_year(
    user_id: int, perk_ids: Iterable[int], at: datetime | None = None
) -> dict[int, int]:
    """How many times `user_id` redeemed each perk this calendar year (rejections not counted,
    nor vouchers won as challenge prizes: the yearly limit caps what points buy)."""
    ids = list(perk_ids)
    if not ids:
        return {}
    start, end = year_bounds(at)
    rows = db.session.execute(
        select(Redemption.perk_id, func.count())
        .where(
            Redemption.user_id == user_id,
            Redemption.perk_id.in_(ids),
            Redemption.status.in_(COUNTED),
            Redemption.challenge_award_id.is_(None),  # a prize won is not a purchase
            Redemption.created_at >= start,
            Redemption.created_at < end,
        )
        .group_by(Redemption.perk_id)
    )
    return {perk_id: int(count) for perk_id, count in rows}


def active_perks() -> list[Perk]:
    """The shop: every active perk, cheapest first."""
    return list(
        db.session.scalars(
            select(Perk).where(Perk.active.is_(True)).order_by(Perk.cost_points, Perk.id)
        )
    )


def perk_available(perk_id: int) -> bool:
    """Whether the perk is offered in the shop and in stock now (read-only): what a challenge
    checks before it names the perk as a prize."""
    perk = db.session.get(Perk, perk_id)
    return perk is not None and perk.active and perk.in_stock


def all_perks() -> list[Perk]:
    """HR's list: active perks first, then by cost."""
    return list(
        db.session.scalars(select(Perk).order_by(Perk.active.desc(), Perk.cost_points, Perk.id))
    )


def get_perk(perk_id: int) -> Perk:
    """The perk, or 404."""
    perk = db.session.get(Perk, perk_id)
    if perk is None:
        abort(404)
    return perk


def redemption_counts() -> dict[RedemptionStatus, int]:
    rows = db.session.execute(
        select(Redemption.status, func.count()).group_by(Redemption.status)
    ).all()
    counts = {status: 0 for status in RedemptionStatus}
    counts.update({RedemptionStatus(status): int(n) for status, n in rows})
    return counts


@dataclass(frozen=True)
class RedemptionFilters:
    """What HR narrowed the redemptions page to; unusable values were dropped when parsing."""

    status: RedemptionStatus | None = None
    perk_id: int | None = None
    department_id: int | None = None  # the employee's department

    def as_args(self) -> dict[str, str]:
        args = {
            "status": self.status.value if self.status else "",
            "perk": str(self.perk_id or ""),
            "department": str(self.department_id or ""),
        }
        return {k: v for k, v in args.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def redemption_sorting() -> Sorting:
    """HR's redemptions list: what a header click may sort by (the perk by its name in the
    reader's language). Newest first by default; `redemption_default` says when oldest first."""
    perk_name = Perk.name_zh if current_locale() == "zh_CN" else Perk.name_en
    status_order = case(
        {
            RedemptionStatus.PENDING.value: 0,
            RedemptionStatus.FULFILLED.value: 1,
            RedemptionStatus.REJECTED.value: 2,
        },
        value=cast(Redemption.status, String),
        else_=3,
    )
    return Sorting(
        keys={
            "employee": SortKey(
                _l("Employee"), [func.lower(func.coalesce(User.display_name, User.name))]
            ),
            "perk": SortKey(_l("Perk"), [func.lower(perk_name)]),
            "points": SortKey(
                _l("Points"), [Redemption.cost_points], kind="number", default_dir="desc"
            ),
            "redeemed": SortKey(
                _l("Redeemed"),
                [Redemption.created_at],
                kind="date",
                default_dir="desc",
                phrases=(_l("oldest first"), _l("newest first")),
            ),
            "status": SortKey(
                _l("Status"),
                [status_order, Redemption.created_at],
                phrases=(
                    _l("pending first, then fulfilled and rejected"),
                    _l("rejected first, then fulfilled and pending"),
                ),
            ),
        },
        default="redeemed",
        default_dir="desc",
        tiebreak=Redemption.id,
    )


def redemption_default(filters: RedemptionFilters) -> tuple[str, Direction]:
    """Pending redemptions wait in line, so that list starts with the oldest; others newest."""
    return ("redeemed", "asc" if filters.status == RedemptionStatus.PENDING else "desc")


def redemptions_for_hr(filters: RedemptionFilters, sort: Sort) -> Select[tuple[Redemption]]:
    """HR's redemptions page: those matching `filters`, in `sort`'s order."""
    query = (
        select(Redemption)
        .join(Redemption.perk)
        .join(User, Redemption.user_id == User.id)
        .options(
            contains_eager(Redemption.perk),
            contains_eager(Redemption.user).joinedload(User.department),
            joinedload(Redemption.decided_by),
        )
    )
    if filters.status is not None:
        query = query.where(Redemption.status == filters.status)
    if filters.perk_id:
        query = query.where(Redemption.perk_id == filters.perk_id)
    if filters.department_id:
        query = query.where(User.department_id == filters.department_id)
    return sort.apply(query)


def get_redemption(redemption_id: int) -> Redemption:
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None:
        abort(404)
    return redemption


def redemptions_of(user: User, limit: int = 50) -> list[Redemption]:
    """A person's own redemptions, newest first."""
    return list(
        db.session.scalars(
            select(Redemption)
            .options(joinedload(Redemption.perk))
            .where(Redemption.user_id == user.id)
            .order_by(Redemption.created_at.desc(), Redemption.id.desc())
            .limit(limit)
        )
    )


# My points -----------------------------------------------------------------------------------


def history_query(user: User) -> Select[tuple[PointEntry]]:
    """A person's ledger entries, newest first (paginate it)."""
    return (
        select(PointEntry)
        .options(joinedload(PointEntry.actor))
        .where(PointEntry.user_id == user.id)
        .order_by(PointEntry.created_at.desc(), PointEntry.id.desc())
    )


@dataclass(frozen=True)
class Causes:
    """What caused the entries on one page: their referrals and redemptions, by entry id."""

    referrals: dict[int, Referral]
    redemptions: dict[int, Redemption]


def causes_for(entries: list[PointEntry]) -> Causes:
    """Load the referrals and redemptions behind `entries` in two queries."""
    referral_ids = {e.referral_id for e in entries if e.referral_id}
    entry_ids = [e.id for e in entries]
    referrals: dict[int, Referral] = {}
    if referral_ids:
        referrals = {
            r.id: r
            for r in db.session.scalars(
                select(Referral)
                .options(joinedload(Referral.candidate), joinedload(Referral.job))
                .where(Referral.id.in_(referral_ids))
            )
        }
    redemptions: dict[int, Redemption] = {}
    if entry_ids:
        for redemption in db.session.scalars(
            select(Redemption)
            .options(joinedload(Redemption.perk))
            .where(
                or_(
                    Redemption.spent_entry_id.in_(entry_ids),
                    Redemption.refund_entry_id.in_(entry_ids),
                )
            )
        ):
            for entry_id in (redemption.spent_entry_id, redemption.refund_entry_id):
                if entry_id:
                    redemptions[entry_id] = redemption
    return Causes(referrals=referrals, redemptions=redemptions)
