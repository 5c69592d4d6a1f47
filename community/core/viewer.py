"""Figures every page shows the signed-in person in its layout (unread notifications, badges not
yet announced), counted together in one query however many modules add a figure.

A module registers a count: how many rows of its own belong to the person and meet conditions.
The user loader reads them in the same query as the person (`columns` + `preload`); the layout
asks `counts()`, which answers from that unless the request has written to the database since
(`core.transaction.writes`), in which case it counts again (so a page shows what the request
itself just changed)."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select

from community.core.transaction import writes
from community.extensions import db

_COUNTERS: dict[str, tuple[Any, tuple[ColumnElement[bool], ...]]] = {}
_PRELOADED = "viewer_counts"


def register_count(name: str, owner: Any, *conditions: ColumnElement[bool]) -> None:
    """Add a figure to `counts()`: the number of rows whose `owner` column is the person and
    that meet `conditions` (e.g. their notifications not read yet)."""
    _COUNTERS[name] = (owner, conditions)


def names() -> tuple[str, ...]:
    return tuple(_COUNTERS)


def columns(user_id: Any) -> list[Any]:
    """Every figure as a labelled column, for a query that loads the person (`user_id` may be
    their id column: the counts are then correlated to it)."""
    return [
        select(func.count()).where(owner == user_id, *conditions).scalar_subquery().label(name)
        for name, (owner, conditions) in _COUNTERS.items()
    ]


def preload(values: dict[str, int]) -> None:
    """Keep figures read with the person for this request's `counts()`."""
    if has_request_context():  # (tests run requests in one app context: keep whose they are)
        request_now = request._get_current_object()  # type: ignore[attr-defined]
        setattr(g, _PRELOADED, (request_now, writes(), values))


def counts() -> dict[str, int]:
    """Every registered figure for the signed-in person; zeros when signed out."""
    if not current_user.is_authenticated or not _COUNTERS:
        return dict.fromkeys(_COUNTERS, 0)
    owner, written, preloaded = g.get(_PRELOADED, (None, None, None))
    if (
        preloaded is not None
        and owner is request._get_current_object()  # type: ignore[attr-defined]
        and written == writes()  # nothing written since they were read
    ):
        return preloaded
    row = db.session.execute(select(*columns(current_user.id))).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}
