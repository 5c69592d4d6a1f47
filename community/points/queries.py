"""Reading the points ledger: score, spendable balance and history."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.extensions import db
from community.points.models import SCORE_KINDS, PointEntry


def _id(user: User | int) -> int:
    return user if isinstance(user, int) else user.id


def score(user: User | int) -> int:
    """Lifetime score for ranking: earned points plus manual adjustments."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.user_id == _id(user), PointEntry.kind.in_(SCORE_KINDS)
        )
    )
    return int(total or 0)


def balance(user: User | int) -> int:
    """Spendable balance: every kind (earned, adjustments, spent, refunded)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(PointEntry.user_id == _id(user))
    )
    return int(total or 0)


def history_query(user: User | int) -> Select[tuple[PointEntry]]:
    """A person's ledger entries, newest first (paginate it)."""
    return (
        select(PointEntry)
        .options(joinedload(PointEntry.actor))
        .where(PointEntry.user_id == _id(user))
        .order_by(PointEntry.created_at.desc(), PointEntry.id.desc())
    )


def history(user: User | int, limit: int = 50) -> list[PointEntry]:
    """A person's newest ledger entries."""
    return list(db.session.scalars(history_query(user).limit(limit)))
