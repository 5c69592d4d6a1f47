"""When a process starts, the boards are checked against the ledger and rebuilt when Redis is not
current (`recovery.ensure_current`): restored from an older snapshot (the embedded server stopped
after its last save) or kept from another database. The embedded server keeps its data between
its own restarts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import redis
from flask import Flask

from community.accounts.models import User
from community.core.embedded_redis import ensure_embedded_redis, stop_embedded_redis
from community.extensions import db, redis_store
from community.leaderboards import keys, kinds, reads, verify
from community.leaderboards.listeners import sync_at_start
from community.points.models import PointKind
from community.points.services import record_points
from tests.factories import make_user

_n = iter(range(1_000_000))


def give(user: User, amount: int) -> None:
    record_points(user, amount, PointKind.ADJUSTMENT, idempotency_key=f"start:{next(_n)}")
    db.session.commit()


def on_board() -> list[tuple[int, int]]:
    """The company's all-time board as (person, points)."""
    return [(e.user_id, e.points) for e in reads.top(kinds.COMPANY, "all")]  # type: ignore[union-attr]


def board_keys() -> list[str]:
    return list(redis_store.client.scan_iter(f"{keys.prefix()}:*"))


def snapshot() -> list[str]:
    """Copy every leaderboard key aside, as a save of the server would keep them."""
    client = redis_store.client
    saved = board_keys()
    for key in saved:
        client.copy(key, f"snapshot:{key}", replace=True)
    return saved


def restore(saved: list[str]) -> None:
    """Put the server back as the snapshot had it: what came after is gone."""
    client = redis_store.client
    client.delete(*board_keys())
    for key in saved:
        client.copy(f"snapshot:{key}", key, replace=True)
        client.delete(f"snapshot:{key}")


def start_warnings(app: Flask, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="community.leaderboards"):
        sync_at_start(app)
    return [r.getMessage() for r in caplog.records if r.name.startswith("community.leaderboards")]


def test_a_redis_restored_behind_the_ledger_is_rebuilt_at_start_with_one_log_line(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    ann, bo = make_user(name="Ann"), make_user(name="Bo")
    give(ann, 40)
    saved = snapshot()
    give(bo, 30)
    give(ann, 5)
    restore(saved)
    assert verify.verify() != []  # the boards miss two entries the ledger counts as projected
    assert on_board() == [(ann.id, 40)]

    lines = start_warnings(app, caplog)

    assert verify.verify() == []
    assert on_board() == [(ann.id, 45), (bo.id, 30)]
    assert len(lines) == 1, lines
    assert "behind the ledger (1 of 3 entries on the boards)" in lines[0]
    assert "rebuilt" in lines[0]


def test_a_redis_holding_another_databases_boards_is_rebuilt_at_start(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    ann = make_user(name="Ann")
    give(ann, 10)
    client = redis_store.client
    # boards of a database that was deleted and seeded again: ids this ledger has not reached,
    # which would make the next entries look applied already
    for entry_id in (2, 3, 4):
        client.setbit(keys.applied_key(), entry_id, 1)
    client.zadd(keys.board(kinds.COMPANY, "all").key, {"999": 7_000_000})

    lines = start_warnings(app, caplog)

    assert len(lines) == 1 and "ahead of the ledger (4 of 1 entries" in lines[0], lines
    assert verify.verify() == []
    give(ann, 5)
    give(ann, 1)
    assert on_board() == [(ann.id, 16)]  # the new ids were applied, not taken for applied


def test_current_boards_are_left_alone_at_start(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    give(make_user(), 10)
    before = {key: redis_store.client.type(key) for key in board_keys()}
    built = redis_store.client.get(keys.built_key())
    sentinel = f"{keys.prefix()}:board:sentinel"
    redis_store.client.set(sentinel, "a rebuild would delete this stray key")

    assert start_warnings(app, caplog) == []

    assert redis_store.client.get(keys.built_key()) == built
    assert redis_store.client.exists(sentinel)
    assert {key: redis_store.client.type(key) for key in board_keys() if key != sentinel} == before


def test_boards_lost_altogether_are_rebuilt_at_start(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    ann = make_user()
    give(ann, 10)
    redis_store.client.delete(*board_keys())

    lines = start_warnings(app, caplog)

    assert lines == ["leaderboards: Redis lost the boards; rebuilding them from the ledger"]
    assert verify.verify() == [] and on_board() == [(ann.id, 10)]


def test_the_embedded_server_keeps_its_data_when_stopped_and_started(tmp_path: Path) -> None:
    directory = tmp_path / "redis"
    try:
        sock = ensure_embedded_redis(directory, persist=True)
        redis.Redis(unix_socket_path=str(sock)).set("{lb}:built", "7")
        stop_embedded_redis(directory)  # `make stop`
        assert not sock.exists() or not _answers(sock)

        sock = ensure_embedded_redis(directory, persist=True)  # `make run`
        assert redis.Redis(unix_socket_path=str(sock)).get("{lb}:built") == b"7"
    finally:
        stop_embedded_redis(directory)


def _answers(sock: Path) -> bool:
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.exceptions.ConnectionError, OSError):
        return False
