"""Small numbers are not shown where they could point at a person: in quality by referrer and
by job, a count under `THRESHOLD` is shown as "<5", and a rate whose denominator is under it is
not shown at all (a 0% of 2 referrals shames someone; it measures nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
SHOWN_SMALL = "<5"


@dataclass(frozen=True)
class Small:
    """A count too small to show: its true value stays inside the query (never rendered)."""

    n: int

    def __str__(self) -> str:
        return SHOWN_SMALL


def shown(n: int) -> str | int:
    """`n` itself, or "<5" when it is under the threshold (zero too: "none" says as much)."""
    return SHOWN_SMALL if n < THRESHOLD else n


def shown_rate(numerator: int, denominator: int) -> Fraction | None:
    """The rate, or None when the denominator is under the threshold."""
    if denominator < THRESHOLD:
        return None
    return Fraction(numerator, denominator)


def rate(numerator: int, denominator: int) -> Fraction | None:
    """A plain rate (None when nothing to divide by), for numbers that are not suppressed."""
    return Fraction(numerator, denominator) if denominator else None
