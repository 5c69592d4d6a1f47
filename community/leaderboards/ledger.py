"""One consistent view of the ledger's score entries, for `rebuild` and `verify`.

Both read the ledger as SQL aggregates for the live periods: per person and department,
SUM(amount) and MAX(created_at), the same points and tie-break time the APPLY script accumulates
entry by entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, cast, extract, func, select
from sqlalchemy.sql.elements import ColumnElement

from community.extensions import db
from community.leaderboards.keys import Board
from community.leaderboards.kinds import added
from community.leaderboards.periods import Period, period_kind
from community.leaderboards.scores import encode, to_ts
from community.leaderboards.visibility import hidden_user_ids
from community.points.models import SCORE_KINDS, PointEntry


@dataclass(frozen=True)
class Ledger:
    """The score entries with ids 1…last_id as seen by one snapshot, and who is hidden."""

    conn: Connection
    last_id: int
    count: int
    hidden: set[int]


@contextmanager
def snapshot() -> Iterator[Ledger]:
    """Every statement sees the same ledger: one REPEATABLE READ transaction on PostgreSQL (an id
    below the newest one may commit late there); on SQLite ids are handed out by the single
    writer in commit order, so bounding every query by `last_id` is enough."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            last_id, count = conn.execute(
                select(func.coalesce(func.max(PointEntry.id), 0), func.count()).where(
                    PointEntry.kind.in_(SCORE_KINDS)
                )
            ).one()
            yield Ledger(conn, int(last_id), int(count), hidden_user_ids(conn))


def epoch_seconds(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Whole seconds since 1970 of a naive-UTC timestamp column, computed by the database and
    cut like `scores.to_ts` cuts them (the fraction dropped). SQLite reads a time's fraction to
    the millisecond, rounded: 12:00:57.9996 would count as 12:00:58, one second after the
    projection's reading of the same entry; so only the whole seconds are given to it."""
    if conn.dialect.name == "postgresql":
        return func.floor(extract("epoch", column))
    return cast(func.strftime("%s", func.substr(column, 1, 19)), Integer)


def score_entries(last_id: int) -> list[ColumnElement[bool]]:
    """The conditions of the score entries a snapshot holds."""
    return [PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= last_id]


Members = list[tuple[str, int]]  # (member, encoded score)


def added_kind_boards(ledger: Ledger, period: Period) -> dict[str, Members]:
    """The boards of the kinds rooms added (`kinds.added`) for one period, from each kind's own
    grouped query: key → [(member, encoded score)]."""
    out: dict[str, Members] = {}
    for kind in added():
        if period_kind(period.name) not in kind.periods:
            continue
        for scope, user_id, points, moment, aside in ledger.conn.execute(
            kind.grouped(ledger.last_id, period)
        ):
            board = Board(str(scope), period.name)
            key = board.hidden_key if aside or user_id in ledger.hidden else board.key
            out.setdefault(key, []).append((str(user_id), encode(int(points), to_ts(moment))))
    return out
