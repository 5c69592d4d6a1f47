"""Reading the points ledger: score, spendable balance and history."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import Department, User
from community.extensions import db
from community.points.models import SCORE_KINDS, PointEntry


def _user_id(user: User | int) -> int:
    return user if isinstance(user, int) else user.id


def score(user: User | int) -> int:
    """Lifetime score for ranking: earned points plus manual adjustments."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.user_id == _user_id(user), PointEntry.kind.in_(SCORE_KINDS)
        )
    )
    return int(total or 0)


def balance(user: User | int) -> int:
    """Spendable balance: every kind (earned, adjustments, spent, refunded)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.user_id == _user_id(user)
        )
    )
    return int(total or 0)


def history(user: User | int, limit: int = 50) -> list[PointEntry]:
    """A person's ledger entries, newest first."""
    return list(
        db.session.scalars(
            select(PointEntry)
            .where(PointEntry.user_id == _user_id(user))
            .order_by(PointEntry.created_at.desc(), PointEntry.id.desc())
            .limit(limit)
        )
    )


def people_by_id(user_ids: list[int]) -> dict[int, User]:
    """The people named on a board, with their departments, in one query."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(User).options(joinedload(User.department)).where(User.id.in_(user_ids))
    )
    return {user.id: user for user in rows}


_SHOWN_NAMES = select(User.id, User.display_name, User.name).where(
    User.id.in_(bindparam("ids", expanding=True))
)


def shown_names(user_ids: list[int]) -> dict[int, str]:
    """The names shown for `user_ids` (display name, else name; `User.shown_name`), in one
    prebuilt query of three columns: for the people around me on every board page."""
    if not user_ids:
        return {}
    rows = db.session.execute(_SHOWN_NAMES, {"ids": user_ids})
    return {user_id: display or name for user_id, display, name in rows}


def departments() -> list[Department]:
    """Every department, by name, for the board's department picker."""
    return list(db.session.scalars(select(Department).order_by(Department.name)))
