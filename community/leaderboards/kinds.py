"""The kinds of board: which boards a ledger entry counts on.

Two kinds are built in and rebuilt together in one pass over the ledger (`rebuild`): the company
board and the board of the department the person was in when the points moved, each for every
period (`periods.PERIODS`). A room adds a kind of its own by registering a `BoardKind` (the
challenges room: a `challenge:<id>` board per challenge over its window). The kind says what
each entry counts on its boards (a `Credit`: an amount in the kind's own unit, and whether the
person is set aside there); the projection writes those in the same script as the company and
department boards (lag 0), and `rebuild` and `verify` compute them from the ledger with the
kind's own grouped query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from community.leaderboards.keys import Board
from community.leaderboards.periods import ALL_TIME, PERIODS, Period, period_name
from community.points.models import PointEntry

COMPANY = "company"


def department_scope(department_id: int) -> str:
    return f"dept:{department_id}"


@dataclass(frozen=True)
class Credit:
    """What one ledger entry counts on a board of a kind: `amount` in the kind's own unit (the
    entry's points, or a hire counted as 1), and `aside` when the person is set aside on that
    board (disqualified from a challenge) whatever their visibility elsewhere."""

    scope: str
    amount: int
    aside: bool = False


@dataclass(frozen=True)
class BoardKind:
    """A kind of board a room adds.

    `credits(session, entries)`: for a page of ledger entries, what each counts on this kind's
    boards — entry id → its Credits (most entries: none). One or two queries per page.
    `grouped(last_id, period)`: a SELECT of (scope, user_id, amount, last change, aside) rows —
    the sum of the kind's credits per scope and person, the newest credited entry's naive-UTC
    time, and whether the person is set aside — over the ledger entries with id ≤ last_id
    inside `period` (all of them when it has no start).
    `periods`: the period kinds its boards keep (a challenge's window is its "all").
    `aside(session, user_id)`: the scopes on which the person sits on the hidden side whatever
    their visibility, so that showing them again elsewhere leaves them there.
    """

    name: str
    credits: Callable[[Session, list[PointEntry]], dict[int, list[Credit]]]
    grouped: Callable[[int, Period], Select[Any]]
    periods: tuple[str, ...] = (ALL_TIME,)
    # The scopes of this kind on which a person is set aside now (a challenge disqualified them).
    aside: Callable[[Session, int], set[str]] | None = None


_KINDS: dict[str, BoardKind] = {}


def register(kind: BoardKind) -> None:
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    _KINDS.pop(name, None)


def added() -> list[BoardKind]:
    """The kinds rooms added, beside the company and department boards."""
    return list(_KINDS.values())


def aside_scopes(session: Session, user_id: int) -> set[str]:
    """Every scope on which the person is set aside (see `BoardKind.aside`)."""
    found: set[str] = set()
    for kind in _KINDS.values():
        if kind.aside is not None:
            found |= kind.aside(session, user_id)
    return found


@dataclass(frozen=True)
class Placement:
    """One board an entry is written to: how much it adds there, and whether the person sits
    on the board's hidden side."""

    board: Board
    amount: int
    hidden: bool


def placements(
    session: Session, entries: list[PointEntry], hidden: set[int]
) -> dict[int, list[Placement]]:
    """Every board each entry counts on: the company's and its department's for every period
    with the entry's points, then what the added kinds credit it (`hidden`: the people hidden
    on every board)."""
    extra: dict[int, list[tuple[BoardKind, Credit]]] = {}
    for kind in _KINDS.values():
        for entry_id, credits in kind.credits(session, entries).items():
            extra.setdefault(entry_id, []).extend((kind, c) for c in credits if c.amount)
    found: dict[int, list[Placement]] = {}
    for entry in entries:
        moment, shown = entry.created_at, entry.user_id in hidden
        scopes = [COMPANY] + (
            [department_scope(entry.department_id)] if entry.department_id else []
        )
        names = [period_name(p, moment) for p in PERIODS]
        out = [
            Placement(Board(scope, name), entry.amount, shown) for scope in scopes for name in names
        ]
        for kind, credit in extra.get(entry.id, []):
            out += [
                Placement(
                    Board(credit.scope, period_name(p, moment)),
                    credit.amount,
                    shown or credit.aside,
                )
                for p in kind.periods
            ]
        found[entry.id] = out
    return found
