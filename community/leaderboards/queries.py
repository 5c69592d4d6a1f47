"""What a board shows beside the points, read from SQL for the few people on a page: their names,
departments and lifetime scores in one query, then their levels and top badges — three queries
however many rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from community.accounts.models import Department, User
from community.badges.models import UserBadge
from community.badges.queries import LevelProgress, levels_from_scores, top_badges
from community.core.localized import choose
from community.extensions import db
from community.points.models import SCORE_KINDS, PointEntry


@dataclass(frozen=True)
class Shown:
    """A person as a board names them."""

    name: str
    department: str
    score: int = 0  # lifetime: earned points and adjustments, the level's measure


_LIFETIME = (
    select(func.coalesce(func.sum(PointEntry.amount), 0))
    .where(PointEntry.user_id == User.id, PointEntry.kind.in_(SCORE_KINDS))
    .correlate(User)
    .scalar_subquery()
)
_SHOWN = (
    select(User.id, User.display_name, User.name, Department.name, Department.name_en, _LIFETIME)
    .outerjoin(Department, Department.id == User.department_id)
    .where(User.id.in_(bindparam("ids", expanding=True)))
)


def shown_people(user_ids: Iterable[int]) -> dict[int, Shown]:
    """The names, departments and lifetime scores of the people on a page, in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(_SHOWN, {"ids": ids})
    return {
        user_id: Shown(display or name, choose(department, department_en), int(score or 0))
        for user_id, display, name, department, department_en, score in rows
    }


@dataclass(frozen=True)
class Extras:
    """The level and top badge of each person on a page."""

    levels: dict[int, LevelProgress]
    badges: dict[int, UserBadge]


def extras_for(people: dict[int, Shown], user_ids: Iterable[int]) -> Extras:
    """The levels (from the scores `shown_people` read) and top badges of `user_ids`."""
    ids = sorted(set(user_ids))
    scores = {user_id: people[user_id].score for user_id in ids if user_id in people}
    return Extras(levels=levels_from_scores(scores), badges=top_badges(ids))
