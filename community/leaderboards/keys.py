"""Every leaderboard key is built here, under one prefix (LEADERBOARD_PREFIX, default `lb`).

- `<prefix>:board:<scope>:<period>`: a board, a sorted set of the people shown on it;
- `<prefix>:hidden:<scope>:<period>`: beside it, the people on it who are not shown (opted out,
  deactivated, HR staff), so ranks stay single reads and they still see where they would stand;
- `<prefix>:applied`: a bitmap of the ledger entry ids already projected;
- `<prefix>:built`: set by a rebuild; its absence with a projected ledger means Redis lost the
  boards; `<prefix>:recovering`: the lock of the rebuild that recovers them.

Scopes come from the board kinds (`leaderboards.kinds`): `company`, `dept:<id>`, and any kind a
room adds (challenges: `challenge:<id>`). Periods: `leaderboards.periods`.

Redis Cluster: the prefix is a hash tag (`{lb}:board:…`), so every leaderboard key lands in one
slot. The scripts touch several keys at once (the projection writes one entry to ten boards,
the bitmap and the marker in one call; a rebuild swaps them all in one MULTI), which a cluster
allows only within a slot. One slot holds a company's boards easily (a million places is
about 100 MB).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import redis
from flask import current_app

from community.leaderboards.periods import ALL_TIME, period_kind, period_name


def prefix() -> str:
    """`{<LEADERBOARD_PREFIX>}`: the configured prefix as a hash tag (see the module's notes)."""
    name = str(current_app.config.get("LEADERBOARD_PREFIX", "lb"))
    return name if name.startswith("{") else f"{{{name}}}"


@dataclass(frozen=True)
class Board:
    """One leaderboard: a scope over a named period."""

    scope: str
    period: str

    @property
    def key(self) -> str:
        return f"{prefix()}:board:{self.scope}:{self.period}"

    @property
    def hidden_key(self) -> str:
        return f"{prefix()}:hidden:{self.scope}:{self.period}"


def board(scope: str, period: str = ALL_TIME, moment: datetime | None = None) -> Board:
    """The board of `scope` for the `period` ("week" … "all", or a period name like "2026-W48")."""
    return Board(scope, period_name(period, moment))


def parse_key(key: str) -> tuple[bool, Board] | None:
    """(hidden?, Board) for a board key, None for anything else."""
    head = f"{prefix()}:"
    if not key.startswith(head):
        return None
    rest = key[len(head) :]
    kind, _, tail = rest.partition(":")
    if kind not in ("board", "hidden"):
        return None
    scope, _, period = tail.rpartition(":")
    if not scope or period_kind(period) is None:
        return None
    return kind == "hidden", Board(scope, period)


def board_patterns() -> tuple[str, str]:
    return f"{prefix()}:board:*", f"{prefix()}:hidden:*"


def live_keys(client: redis.Redis) -> set[str]:
    """Every board key (public and hidden) Redis holds, found by SCAN (never KEYS)."""
    found: set[str] = set()
    for pattern in board_patterns():
        found.update(k for k in client.scan_iter(match=pattern, count=1000) if parse_key(k))
    return found


def applied_key() -> str:
    return f"{prefix()}:applied"


def built_key() -> str:
    """Set by `rebuild` (or, when nothing was ever projected, by whoever first finds it
    missing): its absence with projected entries in the ledger means Redis lost the boards."""
    return f"{prefix()}:built"


def recovery_lock_key() -> str:
    return f"{prefix()}:recovering"


def staging_key(token: str, part: str) -> str:
    """Where a rebuild stages its boards before swapping them in."""
    return f"{prefix()}:staging:{token}:{part}"
