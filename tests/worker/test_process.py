"""A real worker process (`flask worker run`) against the test's database and a real Redis: its
first tick catches up at once on what fell due while no worker ran (points Redis missed, a
challenge whose window passed), and it stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import time_machine
from flask import Flask
from sqlalchemy import select

from community.accounts.models import User
from community.challenges.models import Challenge, ChallengeStatus
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.leaderboards import kinds, reads, verify
from community.leaderboards.projection import pending_count
from community.pipeline import Stage
from community.points.models import PointEntry
from community.points.services import adjust_points
from tests.challenges.factories import make_challenge
from tests.factories import make_user
from tests.pipeline import advance
from tests.redis_server import RedisServer
from tests.referrals.factories import make_referral

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 90  # a loaded machine is slow to start a process; the test never sleeps on time


def log(tmp_path: Path) -> str:
    path = tmp_path / "worker.log"
    return path.read_text() if path.exists() else ""


def run_worker_until(
    app: Flask, redis_server: RedisServer, tmp_path: Path, done: Callable[[], bool]
) -> tuple[int, str]:
    """Run `flask worker run` against the test's database and `redis_server` until `done()`
    (looked at between short waits on the process, up to DEADLINE_SECONDS) or until it exits;
    then stop it as Ctrl+C would. Returns its exit code and its log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi",
        COMMUNITY_ENV="development",
        SECRET_KEY=app.config["SECRET_KEY"],
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=f"unix://{redis_server.socket}",
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )
    with (tmp_path / "worker.log").open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "run", "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while time.monotonic() < deadline and not done():
                try:
                    worker.wait(timeout=0.2)  # the pause between looks, and an exit noticed
                except subprocess.TimeoutExpired:
                    continue
                break
            assert worker.poll() is None, log(tmp_path)
        finally:
            worker.send_signal(signal.SIGINT)  # Huey's graceful stop
            code = worker.wait(timeout=30)
    return code, log(tmp_path)


def test_a_worker_that_starts_catches_up_on_points_redis_missed(
    app: Flask, hr: User, own_redis: RedisServer, tmp_path: Path
) -> None:
    ann = make_user()
    adjust_points(hr, ann, 5, "Welcome")  # on the boards
    own_redis.stop()
    adjust_points(hr, ann, 30, "Helped at the career fair")
    adjust_points(hr, ann, 12, "Hosted a sharing session")
    own_redis.start()  # empty: the worker must rebuild the boards, not just add two entries
    assert pending_count() == 2

    code, output = run_worker_until(
        app, own_redis, tmp_path, lambda: not pending_count() and "worker: started" in log(tmp_path)
    )
    assert pending_count() == 0, output
    assert code == 0, output
    started = next(line for line in output.splitlines() if "worker: started" in line)
    assert "with 1 threads; duties every minute:" in started
    assert "leaderboards.apply-pending" in started
    assert "Redis lost the boards; rebuilding them from the ledger" in output
    assert "worker: stopped" in output
    assert verify.verify() == []
    assert [(e.user_id, e.points) for e in reads.top(kinds.COMPANY, "all")] == [(ann.id, 47)]  # type: ignore[union-attr]


def test_a_worker_that_starts_ends_and_pays_a_challenge_that_fell_due(
    app: Flask, hr: User, own_redis: RedisServer, tmp_path: Path
) -> None:
    ann = make_user()
    past = utcnow() - timedelta(days=10)
    with time_machine.travel(past, tick=False):
        challenge = make_challenge(
            hr,
            ends_at=past + timedelta(days=7),
            prizes=[PrizeFields(rank_from=1, rank_to=1, points=250)],
        )
        advance(make_referral(ann), Stage.SCREENING, hr)
    challenge_id = challenge.id
    assert challenge.status == ChallengeStatus.SCHEDULED  # nobody kept time since

    def status() -> ChallengeStatus:
        db.session.expire_all()
        return db.session.get(Challenge, challenge_id).status  # type: ignore[union-attr]

    code, output = run_worker_until(
        app, own_redis, tmp_path, lambda: status() == ChallengeStatus.FINAL
    )
    assert status() == ChallengeStatus.FINAL, output
    assert code == 0, output
    assert "challenges.keep-time" in output
    assert reads.rank_and_neighbours(ann.id, f"challenge:{challenge_id}") is not None
    prize = db.session.scalars(
        select(PointEntry).where(PointEntry.idempotency_key.contains(":prize:"))
    ).all()
    assert [(e.user_id, e.amount) for e in prize] == [(ann.id, 250)]
    assert verify.verify() == []
