"""Every leaderboard key is built here: `<prefix>:board:<scope>:<period>`.

Scopes: `company`, `dept:<id>` and (coming) `challenge:<id>`. Periods are calendar periods in the
company time zone: `2026-W48` (ISO week), `2026-11`, `2026-Q4`, `2026`, and `all`. Beside each
public board, `<prefix>:hidden:<scope>:<period>` holds the people who are not shown (see boards.py),
and `<prefix>:applied` is a bitmap of the ledger entry ids already applied. `<prefix>:version` is
a counter bumped by every change to any board (and to what the board pages show beside the points:
names, departments, levels, badges); `<prefix>:html:<scope>:<period>:<name>:<version>` holds page
fragments rendered from one version of a board, so a changed board is never served from cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from community.core.time import company_tz, to_local, utcnow

PERIODS: tuple[str, ...] = ("week", "month", "quarter", "year", "all")
COMPANY = "company"
ALL_TIME = "all"
# How long a period's board is kept after the period ends (`all` never expires).
RETENTION: dict[str, timedelta] = {
    "week": timedelta(weeks=5),
    "month": timedelta(days=400),  # ~13 months
    "quarter": timedelta(days=800),  # 2+ years
    "year": timedelta(days=800),
}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def prefix() -> str:
    return current_app.config.get("LEADERBOARD_PREFIX", "lb")


def department_scope(department_id: int) -> str:
    return f"dept:{department_id}"


def challenge_scope(challenge_id: int) -> str:
    return f"challenge:{challenge_id}"


def period_name(period: str, moment: datetime | None = None, tz: ZoneInfo | None = None) -> str:
    """The name of the `period` ("week", "month", …) that contains `moment` (naive UTC, default
    now), counted in the company time zone. A name that is already a period name is returned."""
    if period == ALL_TIME or period_kind(period) is not None and period not in PERIODS:
        return period
    local = to_local(moment or utcnow(), tz)
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{local.year}-{local.month:02d}"
    if period == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    if period == "year":
        return f"{local.year}"
    raise ValueError(f"unknown period {period!r}")


def period_kind(name: str) -> str | None:
    """ "week", "month", "quarter", "year" or "all" for a period name; None if it is not one."""
    if name == ALL_TIME:
        return ALL_TIME
    for kind, pattern in (
        ("week", _WEEK),
        ("month", _MONTH),
        ("quarter", _QUARTER),
        ("year", _YEAR),
    ):
        if pattern.match(name):
            return kind
    return None


def period_names_for_day(day: date) -> list[str]:
    """The week, month, quarter and year names a local calendar day belongs to (as `period_name`
    gives for any moment of that day)."""
    year, week, _ = day.isocalendar()
    return [
        f"{year}-W{week:02d}",
        f"{day.year}-{day.month:02d}",
        f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        f"{day.year}",
    ]


def period_start(name: str, tz: ZoneInfo | None = None) -> datetime | None:
    """When the named period starts (aware, company zone); None for all time."""
    tz = tz or company_tz()
    kind = period_kind(name)
    if kind == "week":
        year, week = map(int, _WEEK.match(name).groups())  # type: ignore[union-attr]
        start = date.fromisocalendar(year, week, 1)
    elif kind == "month":
        year, month = map(int, _MONTH.match(name).groups())  # type: ignore[union-attr]
        start = date(year, month, 1)
    elif kind == "quarter":
        year, quarter = map(int, _QUARTER.match(name).groups())  # type: ignore[union-attr]
        start = date(year, quarter * 3 - 2, 1)
    elif kind == "year":
        start = date(int(name), 1, 1)
    elif kind == ALL_TIME:
        return None
    else:
        raise ValueError(f"unknown period {name!r}")
    return datetime.combine(start, time(0), tzinfo=tz)


def period_end(name: str, tz: ZoneInfo | None = None) -> datetime | None:
    """When the named period ends (aware, company zone); None for all time."""
    tz = tz or company_tz()
    kind = period_kind(name)
    if kind == "week":
        year, week = map(int, _WEEK.match(name).groups())  # type: ignore[union-attr]
        start = date.fromisocalendar(year, week, 1)
        end = start + timedelta(days=7)
    elif kind == "month":
        year, month = map(int, _MONTH.match(name).groups())  # type: ignore[union-attr]
        end = date(year + month // 12, month % 12 + 1, 1)
    elif kind == "quarter":
        year, quarter = map(int, _QUARTER.match(name).groups())  # type: ignore[union-attr]
        month = quarter * 3 + 1
        end = date(year + month // 13, (month - 1) % 12 + 1, 1)
    elif kind == "year":
        end = date(int(name) + 1, 1, 1)
    elif kind == ALL_TIME:
        return None
    else:
        raise ValueError(f"unknown period {name!r}")
    return datetime.combine(end, time(0), tzinfo=tz)


def expires_at(name: str, tz: ZoneInfo | None = None) -> int | None:
    """Unix time at which the named period's board expires; None when it never does."""
    end = period_end(name, tz)
    if end is None:
        return None
    return int((end + RETENTION[period_kind(name)]).astimezone(UTC).timestamp())  # type: ignore[index]


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


def boards_for_entry(
    department_id: int | None, created_at: datetime, tz: ZoneInfo | None = None
) -> list[Board]:
    """Every board a ledger entry counts on: company and its department, each for every period."""
    scopes = [COMPANY] + ([department_scope(department_id)] if department_id else [])
    names = [period_name(p, created_at, tz) for p in PERIODS]
    return [Board(scope, name) for scope in scopes for name in names]


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


def applied_key() -> str:
    return f"{prefix()}:applied"


def board_patterns() -> tuple[str, str]:
    return f"{prefix()}:board:*", f"{prefix()}:hidden:*"


def version_key() -> str:
    return f"{prefix()}:version"


def built_key() -> str:
    """Set by `rebuild` (or, when nothing was ever projected, by whoever first finds it
    missing): its absence with projected entries in the ledger means Redis lost the boards."""
    return f"{prefix()}:built"


def recovery_lock_key() -> str:
    return f"{prefix()}:recovering"


def fragment_key(board: Board, name: str, version: str) -> str:
    return f"{prefix()}:html:{board.scope}:{board.period}:{name}:{version}"
