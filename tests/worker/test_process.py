"""A real worker process (`flask worker run`) against the test's database and a real Redis: its
first tick catches up at once on what fell due while no worker ran (points Redis missed, a
challenge whose window passed), and it stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi",
        COMMUNITY_ENV="development",
        SECRET_KEY=app.config["SECRET_KEY"],
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=f"unix://{own_redis.socket}",
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "run", "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while time.monotonic() < deadline and (
                pending_count() or "worker: started" not in log_path.read_text()
            ):
                try:
                    worker.wait(timeout=0.2)  # the pause between looks, and an exit noticed
                except subprocess.TimeoutExpired:
                    continue
                break
            assert worker.poll() is None, log_path.read_text()
            assert pending_count() == 0, log_path.read_text()
        finally:
            worker.send_signal(signal.SIGINT)  # Huey's graceful stop
            code = worker.wait(timeout=30)

    assert code == 0, log_path.read_text()
    output = log_path.read_text()
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

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi",
        COMMUNITY_ENV="development",
        SECRET_KEY=app.config["SECRET_KEY"],
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=f"unix://{own_redis.socket}",
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )

    def status() -> ChallengeStatus:
        db.session.expire_all()
        return db.session.get(Challenge, challenge_id).status  # type: ignore[union-attr]

    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "run", "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while time.monotonic() < deadline and status() != ChallengeStatus.FINAL:
                try:
                    worker.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    continue
                break
            assert status() == ChallengeStatus.FINAL, log_path.read_text()
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
    assert "challenges.keep-time" in log_path.read_text()
    assert reads.rank_and_neighbours(ann.id, f"challenge:{challenge_id}") is not None
    prize = db.session.scalars(
        select(PointEntry).where(PointEntry.idempotency_key.contains(":prize:"))
    ).all()
    assert [(e.user_id, e.amount) for e in prize] == [(ann.id, 250)]
    assert verify.verify() == []
