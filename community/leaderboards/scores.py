"""How a place on a board is one exact number (the only encoder of the house).

A member's sorted-set score is

    points * 2**31 + (MAX_TS - ts)

where `ts` is the last time the member's points on that board changed, in seconds since
2020-01-01 UTC (fits in 31 bits until 2088). Higher points rank first; on equal points the smaller
`ts` (who reached the score first) has the larger remainder and ranks higher. A Redis score is a
double, exact for integers below 2**53, so |points| must stay below 2**22 (4,194,304) per board;
the apply script and `encode` refuse anything larger rather than round. `ts` only moves forward
(the max of the old and the entry's time), so applying entries in any order gives the same value
as a rebuild.
"""

from __future__ import annotations

from datetime import UTC, datetime

TS_BITS = 31
TS_SCALE = 2**TS_BITS
MAX_TS = TS_SCALE - 1
MAX_POINTS = 2 ** (53 - TS_BITS)  # exclusive bound on |points| per board
TS_EPOCH = datetime(2020, 1, 1)
EPOCH_UNIX = int(TS_EPOCH.replace(tzinfo=UTC).timestamp())


def encode(points: int, ts: int) -> int:
    """The sorted-set score for `points` last changed at `ts` (seconds since TS_EPOCH)."""
    if not -MAX_POINTS < points < MAX_POINTS:
        raise OverflowError(f"{points} points cannot be ranked exactly")
    return points * TS_SCALE + (MAX_TS - ts)


def decode(score: float | int) -> tuple[int, int]:
    """(points, ts) from a sorted-set score."""
    composite = int(score)
    points = composite // TS_SCALE
    return points, MAX_TS - (composite - points * TS_SCALE)


def clamp_ts(ts: int) -> int:
    """`ts` within what the encoding holds."""
    return max(0, min(MAX_TS, ts))


def to_ts(moment: datetime) -> int:
    """Seconds since TS_EPOCH for a naive-UTC datetime, clamped to what the encoding holds."""
    return clamp_ts(int((moment - TS_EPOCH).total_seconds()))


def from_ts(ts: int) -> datetime:
    return datetime.fromtimestamp(TS_EPOCH.replace(tzinfo=UTC).timestamp() + ts, UTC).replace(
        tzinfo=None
    )
