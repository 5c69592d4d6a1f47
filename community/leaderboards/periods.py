"""Calendar periods of the boards, counted in the company time zone: `2026-W48` (ISO week),
`2026-11`, `2026-Q4`, `2026`, and `all`; when each starts and ends, and how long its board is
kept after it ends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from community.core.time import company_tz, to_local, utcnow

PERIODS: tuple[str, ...] = ("week", "month", "quarter", "year", "all")
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
class Period:
    """A named period as naive-UTC bounds: start inclusive, end exclusive (None for all time),
    and when its board expires (unix time; None = never)."""

    name: str
    start: datetime | None
    end: datetime | None
    expires: int | None


def _naive_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def live_periods(tz: ZoneInfo | None = None, moment: datetime | None = None) -> list[Period]:
    """The periods whose boards anyone reads: all time and the current week, month, quarter and
    year (at `moment`, naive UTC, default now). Past periods' boards are never read: pages ask
    for a period kind, always the current one."""
    tz = tz or company_tz()
    periods = [Period(ALL_TIME, None, None, None)]
    for kind in PERIODS:
        if kind == ALL_TIME:
            continue
        name = period_name(kind, moment, tz)
        start, end = period_start(name, tz), period_end(name, tz)
        periods.append(Period(name, _naive_utc(start), _naive_utc(end), expires_at(name, tz)))
    return periods
