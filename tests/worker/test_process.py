"""A real worker process (`flask worker run`) against the test's database and a real Redis: its
first tick catches up at once on what fell due while no worker ran, and it stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from community.accounts.models import User
from community.leaderboards import kinds, reads, verify
from community.leaderboards.projection import pending_count
from community.points.services import adjust_points
from tests.factories import make_user
from tests.redis_server import RedisServer

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
