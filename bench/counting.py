"""Counting what one piece of work costs, in this process: Redis round trips and commands sent
(redis-py), commands Redis ran (`INFO commandstats`, which counts a script's inner calls too),
SQL statements, and the time of the leaderboards' projection after a commit."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask
from sqlalchemy import event


@dataclass
class Tally:
    round_trips: int = 0
    commands: int = 0
    statements: int = 0
    projection_seconds: float = 0.0


@contextmanager
def counting(app: Flask) -> Iterator[Tally]:
    """Count, in this process, Redis round trips (sends of packed commands: a pipeline is one)
    and commands packed for sending, SQL statements, and the time the projection after the
    commit takes (`leaderboards.listeners.project_after_commit`)."""
    from redis import connection as redis_connection

    from community.extensions import db
    from community.leaderboards import listeners

    tally = Tally()
    send = redis_connection.AbstractConnection.send_packed_command
    packers = [
        cls
        for cls in (
            getattr(redis_connection, "PythonRespSerializer", None),
            getattr(redis_connection, "HiredisRespSerializer", None),
        )
        if cls is not None
    ]
    packs = {cls: cls.pack for cls in packers}
    project = listeners.project_after_commit

    def counted_send(self: Any, command: Any, check_health: bool = True) -> Any:
        tally.round_trips += 1
        return send(self, command, check_health)

    def counted_pack(original: Callable[..., Any]) -> Callable[..., Any]:
        def pack(self: Any, *args: Any) -> Any:
            tally.commands += 1
            return original(self, *args)

        return pack

    def timed_project() -> None:
        started = time.perf_counter()
        project()
        tally.projection_seconds += time.perf_counter() - started

    def statement(*_: Any) -> None:
        tally.statements += 1

    engine = db.engine
    redis_connection.AbstractConnection.send_packed_command = counted_send  # type: ignore[method-assign]
    for cls, original in packs.items():
        cls.pack = counted_pack(original)  # type: ignore[method-assign]
    listeners.project_after_commit = timed_project  # type: ignore[assignment]
    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield tally
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        listeners.project_after_commit = project  # type: ignore[assignment]
        for cls, original in packs.items():
            cls.pack = original  # type: ignore[method-assign]
        redis_connection.AbstractConnection.send_packed_command = send  # type: ignore[method-assign]


def command_stats(client: redis.Redis) -> Counter[str]:
    """Calls per command since the server started (INFO itself left out)."""
    stats = client.info("commandstats")
    return Counter(
        {
            name.removeprefix("cmdstat_"): int(values["calls"])
            for name, values in stats.items()
            if name != "cmdstat_info"
        }
    )
