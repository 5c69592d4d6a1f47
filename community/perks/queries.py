"""Reading the perk shop: perks, redemptions, yearly counts, and a person's points history with
what caused each entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
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
    """How many times `user_id` redeemed each perk this calendar year (rejections not counted)."""
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


def redemptions_for_hr(status: RedemptionStatus | None = None) -> Select[tuple[Redemption]]:
    """HR's redemptions page: oldest pending first when filtered to pending, else newest first."""
    query = select(Redemption).options(
        joinedload(Redemption.perk),
        joinedload(Redemption.user).joinedload(User.department),
        joinedload(Redemption.decided_by),
    )
    if status is not None:
        query = query.where(Redemption.status == status)
    if status == RedemptionStatus.PENDING:
        return query.order_by(Redemption.created_at, Redemption.id)
    return query.order_by(Redemption.created_at.desc(), Redemption.id.desc())


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
