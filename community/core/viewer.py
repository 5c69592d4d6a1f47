"""Figures every page shows the signed-in person in its layout (unread notifications, badges not
yet announced), counted together: one query per page however many modules add a figure.

A module registers a counter, a correlated count for one person; base.html asks for them all
once, while it renders, so the figures include whatever the request itself just changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user
from sqlalchemy import select

from community.extensions import db

Counter = Callable[[int], Any]  # user id → a scalar subquery counting something of theirs

_COUNTERS: dict[str, Counter] = {}


def register_counter(name: str, counter: Counter) -> None:
    """Add a figure to `counts()`: `counter(user_id)` returns a scalar subquery (an integer)."""
    _COUNTERS[name] = counter


def counts() -> dict[str, int]:
    """Every registered figure for the signed-in person, in one query; zeros when signed out."""
    if not current_user.is_authenticated or not _COUNTERS:
        return dict.fromkeys(_COUNTERS, 0)
    user_id = current_user.id
    columns = [counter(user_id).label(name) for name, counter in _COUNTERS.items()]
    row = db.session.execute(select(*columns)).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}
