"""`verify`: the live boards compared with the ledger, by a computation of its own (one GROUP BY
per period, added up in Python) so that a mistake in `rebuild` or the projection shows."""

from __future__ import annotations

from sqlalchemy import func, select

from community.leaderboards import connection, keys
from community.leaderboards.kinds import COMPANY, department_scope
from community.leaderboards.ledger import (
    Ledger,
    Members,
    added_kind_boards,
    epoch_seconds,
    score_entries,
    snapshot,
)
from community.leaderboards.periods import Period, live_periods
from community.leaderboards.scores import EPOCH_UNIX, clamp_ts, decode, encode, from_ts
from community.points.models import PointEntry

CHUNK = 10_000  # rows per fetch


def period_boards(ledger: Ledger, period: Period) -> dict[str, Members]:
    """Every company and department board (public and hidden set) of one period:
    key → [(member, encoded score)], each member once per key."""
    conn = ledger.conn
    query = (
        select(
            PointEntry.user_id,
            PointEntry.department_id,
            func.sum(PointEntry.amount),
            epoch_seconds(conn, func.max(PointEntry.created_at)),
        )
        .where(*score_entries(ledger.last_id))
        .group_by(PointEntry.user_id, PointEntry.department_id)
        .order_by(PointEntry.user_id)
    )
    if period.start is not None:
        query = query.where(
            PointEntry.created_at >= period.start, PointEntry.created_at < period.end
        )
    company: tuple[Members, Members] = ([], [])
    departments: dict[int, tuple[Members, Members]] = {}
    hidden = ledger.hidden
    user, total, latest = None, 0, 0
    result = conn.execution_options(yield_per=CHUNK).execute(query)
    for part in result.partitions():
        for user_id, department_id, points, seconds in part:
            points = int(points)
            ts = clamp_ts(int(seconds) - EPOCH_UNIX)
            if department_id:
                lists = departments.setdefault(department_id, ([], []))
                lists[user_id in hidden].append((str(user_id), encode(points, ts)))
            if user_id == user:
                total += points
                latest = max(latest, ts)
            else:
                if user is not None:
                    company[user in hidden].append((str(user), encode(total, latest)))
                user, total, latest = user_id, points, ts
    if user is not None:
        company[user in hidden].append((str(user), encode(total, latest)))
    out: dict[str, Members] = {}
    boards = [(keys.Board(COMPANY, period.name), company)] + [
        (keys.Board(department_scope(d), period.name), lists)
        for d, lists in sorted(departments.items())
    ]
    for board, (shown, not_shown) in boards:
        if shown:
            out[board.key] = shown
        if not_shown:
            out[board.hidden_key] = not_shown
    return out


def verify() -> list[str]:
    """Compare the live boards (all time and the current periods, as `rebuild` writes them) with
    the ledger; returns one line per difference (empty = equal). Boards of past periods are not
    compared: nothing reads them, and `rebuild` deletes them."""
    client = connection.client(force=True)
    periods = live_periods()
    names = {period.name for period in periods}
    live = {key for key in keys.live_keys(client) if keys.parse_key(key)[1].period in names}  # type: ignore[index]
    drift: list[str] = []
    expected: set[str] = set()
    with snapshot() as ledger:
        for period in periods:
            boards = period_boards(ledger, period) | added_kind_boards(ledger, period)
            for key, rows in sorted(boards.items()):
                expected.add(key)
                members = dict(rows)
                if key not in live:
                    drift.append(f"{key}: board missing from Redis ({len(members)} people)")
                    continue
                actual = {m: int(s) for m, s in client.zrange(key, 0, -1, withscores=True)}
                if actual == members:
                    continue
                for member in sorted(set(members) | set(actual), key=int):
                    want, got = members.get(member), actual.get(member)
                    if want != got:
                        drift.append(
                            f"{key}: user {member} {_describe(want)} in the ledger, {_describe(got)}"
                        )
    extra = [
        f"{key}: board exists in Redis but not in the ledger" for key in sorted(live - expected)
    ]
    return extra + drift


def _describe(score: int | None) -> str:
    if score is None:
        return "absent"
    points, ts = decode(score)
    return f"{points} points (since {from_ts(ts):%Y-%m-%d %H:%M:%S} UTC)"
