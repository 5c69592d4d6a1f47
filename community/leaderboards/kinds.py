"""The kinds of board: which boards a ledger entry counts on.

Two kinds are built in and rebuilt together in one pass over the ledger (`rebuild`): the company
board and the board of the department the person was in when the points moved, each for every
period (`periods.PERIODS`). A room adds a kind of its own by registering a `BoardKind` (the
challenges room: a `challenge:<id>` board per challenge over its window): the projection then
writes its entries to those boards in the same script as the others (lag 0), and `rebuild` and
`verify` compute them from the ledger with the kind's own grouped query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select

from community.leaderboards.keys import Board
from community.leaderboards.periods import ALL_TIME, PERIODS, Period, period_name
from community.points.models import PointEntry

COMPANY = "company"


def department_scope(department_id: int) -> str:
    return f"dept:{department_id}"


@dataclass(frozen=True)
class BoardKind:
    """A kind of board a room adds.

    `scopes_for(entry)`: the scopes of this kind an entry counts on (none, most of the time).
    `grouped(last_id, period)`: a SELECT of (scope, user_id, points, last change) rows — the sum
    of the kind's entries per scope and person, and the newest entry's naive-UTC time — over the
    ledger entries with id ≤ last_id inside `period` (all of them when it has no start).
    `periods`: the period kinds its boards keep (a challenge's window is its "all").
    """

    name: str
    scopes_for: Callable[[PointEntry], list[str]]
    grouped: Callable[[int, Period], Select[Any]]
    periods: tuple[str, ...] = (ALL_TIME,)


_KINDS: dict[str, BoardKind] = {}


def register(kind: BoardKind) -> None:
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def added() -> list[BoardKind]:
    """The kinds rooms added, beside the company and department boards."""
    return list(_KINDS.values())


def boards_for_entry(entry: PointEntry, created_at: datetime | None = None) -> list[Board]:
    """Every board a ledger entry counts on."""
    moment = created_at or entry.created_at
    scopes = [COMPANY] + ([department_scope(entry.department_id)] if entry.department_id else [])
    names = [period_name(p, moment) for p in PERIODS]
    found = [Board(scope, name) for scope in scopes for name in names]
    for kind in _KINDS.values():
        kind_names = [period_name(p, moment) for p in kind.periods]
        found += [Board(scope, name) for scope in kind.scopes_for(entry) for name in kind_names]
    return found
