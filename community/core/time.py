"""Time helpers: store UTC, show the company's (or user's) time zone, count working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def company_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["COMPANY_TIMEZONE"])


def to_local(moment: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Convert a stored naive-UTC datetime to an aware datetime in `tz` (company zone by default)."""
    return moment.replace(tzinfo=UTC).astimezone(tz or company_tz())


def local_today(tz: ZoneInfo | None = None) -> date:
    return to_local(utcnow(), tz).date()


def add_working_days(start: datetime, days: int, tz: ZoneInfo | None = None) -> datetime:
    """Add `days` working days (Monday–Friday, in the company zone) to a naive-UTC datetime.

    A start on a weekend counts from the next Monday morning, so a Saturday submission is not
    already late on Tuesday.
    """
    tz = tz or company_tz()
    local = to_local(start, tz)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            remaining -= 1
    return local.astimezone(UTC).replace(tzinfo=None)
