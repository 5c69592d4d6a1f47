"""`rebuild` computes the live boards (all time and the current week, month, quarter and year)
from SQL aggregates; they must be exactly the boards the incremental projection (the Lua script,
entry by entry) built: same members, same encoded scores (points and tie-break time), same
public/hidden split, same expiry, same bitmap. Past periods' boards, which no page reads, are
deleted by `rebuild` and not compared by `verify`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from community.accounts.models import Role, User
from community.accounts.services import deactivate_user
from community.core.time import utcnow
from community.extensions import db, redis_store
from community.leaderboards import keys, kinds, periods, reads, rebuild, recovery, verify
from community.points.models import PointKind
from community.points.services import record_points
from tests.factories import make_department, make_user

_n = iter(range(1_000_000))


def put(user: User, amount: int, days_ago: float, kind: PointKind = PointKind.ADJUSTMENT) -> None:
    record_points(
        user,
        amount,
        kind,
        idempotency_key=f"test:{next(_n)}",
        at=utcnow() - timedelta(days=days_ago),
    )
    db.session.commit()


def dump() -> dict[str, Any]:
    """Every leaderboard key in Redis: board members with scores, the TTL, the applied bitmap."""
    client = redis_store.client
    out: dict[str, Any] = {}
    for key in client.scan_iter(f"{keys.prefix()}:*"):
        if key == keys.built_key():
            continue  # the built marker: not a board
        if key == keys.applied_key():
            pipe = client.pipeline()
            for bit in range(client.strlen(key) * 8):
                pipe.getbit(key, bit)
            out[key] = [bit for bit, on in enumerate(pipe.execute()) if on]
        else:
            out[key] = (client.zrange(key, 0, -1, withscores=True), client.ttl(key))
    return out


def current(state: dict[str, Any]) -> dict[str, Any]:
    """Only the bitmap and the live boards: all time and the current periods."""
    names = {periods.period_name(kind) for kind in periods.PERIODS}
    return {
        key: value
        for key, value in state.items()
        if key == keys.applied_key() or keys.parse_key(key)[1].period in names  # type: ignore[index]
    }


def assert_same(before: dict[str, Any], after: dict[str, Any]) -> None:
    """`after` (a rebuild) holds exactly the live part of `before` (the projection)."""
    before = current(before)
    assert sorted(after) == sorted(before)
    for key, value in before.items():
        if key == keys.applied_key():
            assert after[key] == value
            continue
        assert after[key][0] == value[0], key
        assert abs(after[key][1] - value[1]) <= 60, key  # TTLs, read moments apart


@pytest.fixture
def ledger(hr: User, time_machine: Any) -> dict[str, User]:
    """A ledger with ties, department moves, hidden people, spending and several periods.

    The clock stands still at a whole second for the whole test: the entries' times, the
    projection and the rebuild then see one "now", however slowly a loaded machine runs them
    (it is the real moment, so Redis's own clock agrees on the expiry times)."""
    time_machine.move_to(datetime.now(UTC).replace(microsecond=0), tick=False)
    sales, support = make_department(), make_department()
    people = {
        "first": make_user(department=sales),
        "tied": make_user(department=sales),
        "mover": make_user(department=sales),
        "negative": make_user(department=support),
        "opted_out": make_user(department=support, leaderboard_opt_out=True),
        "staff": make_user(role=Role.HR, department=support),
        "leaver": make_user(department=support),
        "nobody": make_user(department=None),
    }
    people["nobody"].department = None
    db.session.commit()
    p = people
    put(p["first"], 30, days_ago=3)
    put(p["tied"], 10, days_ago=2)
    put(p["tied"], 20, days_ago=1)  # 30 as well, reached later: ranks below "first"
    put(p["mover"], 15, days_ago=200)  # an old month and quarter, an expired week
    put(p["mover"], 5, days_ago=45)
    p["mover"].department = support
    db.session.commit()
    put(p["mover"], 10, days_ago=0.5)  # the company board adds both departments up
    put(p["negative"], 40, days_ago=10)
    put(p["negative"], -25, days_ago=0.2)  # a correction moves the tie-break time too
    put(p["negative"], -5, days_ago=0.1, kind=PointKind.SPENT)  # spending does not count
    put(p["opted_out"], 70, days_ago=6)
    put(p["staff"], 90, days_ago=8)
    put(p["leaver"], 80, days_ago=9)
    put(p["nobody"], 12, days_ago=4)  # no department: the company board only
    put(p["first"], 5, days_ago=500)  # last year's boards (and long-expired periods)
    deactivate_user(p["leaver"], hr)  # moved to the hidden side of every board
    return people


def test_rebuild_gives_exactly_the_boards_the_projection_built(ledger: dict[str, User]) -> None:
    before = dump()
    assert verify.verify() == []
    redis_store.client.flushdb()
    result = rebuild.rebuild()
    assert_same(before, dump())
    assert verify.verify() == []
    live = current(before)
    assert len(live) < len(before)  # the projection also wrote boards of past periods
    assert (
        result.entries == 13 and result.boards == len(live) - 1
    )  # (13 score entries; less the bitmap)

    top = reads.top(kinds.COMPANY, "all")
    order = [row.user_id for row in top]  # type: ignore[union-attr]
    assert order.index(ledger["first"].id) < order.index(ledger["tied"].id)
    shown = set(order)
    assert not shown & {ledger[n].id for n in ("opted_out", "staff", "leaver")}
    private = reads.rank_of(ledger["opted_out"], kinds.COMPANY, "all")
    assert private.rank == 1 and private.points == 70  # type: ignore[union-attr]


def test_rebuild_replaces_corrupt_and_stale_boards(ledger: dict[str, User]) -> None:
    before = dump()
    client = redis_store.client
    month = keys.board(kinds.COMPANY, "month").key
    client.zadd(month, {"999999": 1})
    client.zrem(keys.board(kinds.COMPANY, "all").key, str(ledger["first"].id))
    client.zadd(keys.board(kinds.department_scope(987654), "week").key, {"1": 1})
    client.zadd(f"{keys.prefix()}:board:company:2019-W01", {"1": 1})  # past: not read, not checked
    assert len(verify.verify()) == 3
    rebuild.rebuild()
    assert_same(before, dump())
    assert not list(client.scan_iter(f"{keys.prefix()}:staging:*"))


def test_rebuild_deletes_the_boards_of_past_periods(ledger: dict[str, User]) -> None:
    old_week = periods.period_name(
        "week", utcnow() - timedelta(days=10)
    )  # "negative"'s first entry
    before = dump()
    assert keys.board(kinds.COMPANY, old_week).key in before  # the projection wrote it
    rebuild.rebuild()
    after = dump()
    assert keys.board(kinds.COMPANY, old_week).key not in after
    assert after == current(after)  # nothing but the bitmap and the live boards
    assert verify.verify() == []


def test_rebuild_then_projection_counts_new_entries_once(ledger: dict[str, User]) -> None:
    rebuild.rebuild()
    put(ledger["tied"], 1, days_ago=0)
    standing = reads.rank_of(ledger["tied"], kinds.COMPANY, "all")
    assert standing.points == 31  # type: ignore[union-attr]
    recovery.sync_pending()
    assert verify.verify() == []


def test_rebuild_in_a_half_hour_time_zone_matches_the_projection(
    app: Flask, ledger: dict[str, User]
) -> None:
    app.config["COMPANY_TIMEZONE"] = "Asia/Kolkata"
    try:
        redis_store.client.flushdb()
        rebuild.rebuild()  # (the boards were projected for Shanghai: start from the ledger)
        for days in (0.01, 0.2, 0.3, 0.45, 7.2):
            put(ledger["first"], 3, days_ago=days)
        before = dump()
        redis_store.client.flushdb()
        rebuild.rebuild()
        assert_same(before, dump())
    finally:
        app.config["COMPANY_TIMEZONE"] = "Asia/Shanghai"


def test_rebuild_of_an_empty_ledger_removes_every_board() -> None:
    redis_store.client.zadd(keys.board(kinds.COMPANY, "all").key, {"1": 1})
    result = rebuild.rebuild()
    assert (result.boards, result.members, result.entries) == (0, 0, 0)
    assert dump() == {}
    assert verify.verify() == []


def test_rebuild_adds_up_departments_and_keeps_zero_sums_within_the_week(
    hr: User, time_machine: Any
) -> None:
    """Within one period: entries in two departments and in none add up on the company board
    and stay apart on the department boards; +5 and -5 leave someone on the board with 0."""
    # Mid-week (a Wednesday, in a year with 2026's calendar whose boards have not expired by the
    # real Redis clock): the entries below span 35 seconds, which a new week must not split.
    time_machine.move_to(
        datetime(2037, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    sales, support = make_department(), make_department()
    mover = make_user(department=sales)
    hidden_mover = make_user(department=sales, leaderboard_opt_out=True)
    even = make_user(department=support)
    for person in (mover, hidden_mover):
        put(person, 7, days_ago=0.0004)
        person.department = support
        db.session.commit()
        put(person, 11, days_ago=0.0003)
        person.department = None
        db.session.commit()
        put(person, 13, days_ago=0.0002)
    put(even, 5, days_ago=0.0002)
    put(even, -5, days_ago=0.0001)
    before = dump()
    assert verify.verify() == []
    redis_store.client.flushdb()
    rebuild.rebuild()
    assert_same(before, dump())
    assert verify.verify() == []

    for period in ("week", "all"):
        assert reads.rank_of(mover, kinds.COMPANY, period).points == 31  # type: ignore[union-attr]
        for department, points in ((sales, 7), (support, 11)):
            scope = kinds.department_scope(department.id)
            assert reads.rank_of(mover, scope, period).points == points  # type: ignore[union-attr]
        private = reads.rank_and_neighbours(hidden_mover, kinds.COMPANY, period, around=0)
        assert private.private and private.me.points == 31  # type: ignore[union-attr]
        zero = reads.rank_of(even, kinds.department_scope(support.id), period)
        assert zero.points == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("microsecond", [999_999, 999_600, 500_000, 0])
def test_an_entry_late_in_its_second_counts_from_that_second_everywhere(
    hr: User, time_machine: Any, microsecond: int
) -> None:
    """SQLite reads a time's fraction to the millisecond, rounded: 57.9996 s was 58 s to the
    rebuild and the check, 57 s to the projection, so a loaded machine that wrote an entry in
    the last half-millisecond of a second saw the boards "differ" (twice in full runs)."""
    time_machine.move_to(
        datetime.now(UTC).replace(microsecond=microsecond) - timedelta(seconds=2), tick=False
    )
    person = make_user(department=make_department())
    put(person, 40, days_ago=0)
    assert verify.verify() == []
    before = dump()
    redis_store.client.flushdb()
    rebuild.rebuild()
    assert_same(before, dump())
