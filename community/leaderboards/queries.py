"""What a board shows beside the points, read from SQL for the few people on a page: their names
and departments, their level and top badge — a fixed number of queries however many rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from community.accounts.models import Department, User
from community.badges.models import UserBadge
from community.badges.queries import LevelProgress, levels_for, top_badges
from community.extensions import db


@dataclass(frozen=True)
class Shown:
    """A person as a board names them."""

    name: str
    department: str


_SHOWN = (
    select(User.id, User.display_name, User.name, Department.name)
    .outerjoin(Department, Department.id == User.department_id)
    .where(User.id.in_(bindparam("ids", expanding=True)))
)


def shown_people(user_ids: Iterable[int]) -> dict[int, Shown]:
    """The names and departments of the people on a page, in one query of four columns."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(_SHOWN, {"ids": ids})
    return {
        user_id: Shown(display or name, department or "")
        for user_id, display, name, department in rows
    }


@dataclass(frozen=True)
class Extras:
    """The level and top badge of each person on a page."""

    levels: dict[int, LevelProgress]
    badges: dict[int, UserBadge]


def extras_for(user_ids: Iterable[int]) -> Extras:
    ids = sorted(set(user_ids))
    return Extras(levels=levels_for(ids), badges=top_badges(ids))
