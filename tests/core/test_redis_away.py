"""Redis stops and comes back: people still sign in (their failed attempts still limited, counted
in memory meanwhile), every page renders, HR still records points; once Redis answers again the
limits are counted there again and the boards, lost with the server's data, are rebuilt from the
ledger.

Runs the app in a process of its own: Flask-Limiter keeps one storage per limiter, and the suite's
app shares its Redis with every other test. The process uses the suite's database (its tables,
empty at the start of a test, emptied again after it) and a Redis server it stops and starts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_works_while_redis_is_away_and_catches_up(app: Flask) -> None:
    env = os.environ | {"REDIS_AWAY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = subprocess.run(
        [sys.executable, "-m", "tests.core.test_redis_away"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


def _journey() -> None:
    import time_machine
    from sqlalchemy import select

    from community import create_app
    from community.accounts.models import Role
    from community.extensions import db
    from community.leaderboards import kinds, projection, reads, recovery, verify
    from community.points.models import PointEntry
    from community.points.services import adjust_points
    from tests.factories import make_user
    from tests.redis_server import RedisServer

    server = RedisServer()
    server.start()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "redis-away-secret-key-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": os.environ["REDIS_AWAY_DATABASE_URI"],
            "REDIS_URL": f"unix://{server.socket}",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": False,
            "DEFAULT_LOCALE": "en",
        }
    )
    redis = server.client()

    def sign_in(email: str, password: str = "password123") -> tuple[object, int]:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": password})
        return client, response.status_code

    try:
        with app.test_request_context():
            hr = make_user(role=Role.HR, email="hr@example.com")
            make_user(role=Role.MANAGER, email="manager@example.com")
            ada = make_user(email="ada@example.com", name="Ada Before")
            bo_id = make_user(email="bo@example.com", name="Bo During").id
            adjust_points(hr, ada, 40, "Hosted the referral workshop")
            ada_id = ada.id
        ada_client, status = sign_in("ada@example.com")
        assert status == 302, status
        assert "Ada Before" in ada_client.get("/leaderboard/?period=all").text

        server.stop()
        staff, status = sign_in("hr@example.com")
        assert status == 302, f"HR signs in while Redis is away: {status}"
        bo, status = sign_in("bo@example.com")
        assert status == 302, f"an employee signs in while Redis is away: {status}"
        manager, status = sign_in("manager@example.com")
        assert status == 302, f"a manager signs in while Redis is away: {status}"
        pages = sorted(
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and not rule.arguments
        )
        for client in (ada_client, bo, manager, staff):
            for path in pages:
                response = client.get(path)
                assert response.status_code < 500, f"{path} while Redis is away: {response.status}"
                location = response.headers.get("Location", "")
                assert not location.startswith("/login"), f"{path} signed the reader out"
        board = bo.get("/leaderboard/").text
        assert 'data-testid="board-unavailable"' in board
        assert 'data-testid="period-tabs"' in board

        response = staff.post(
            f"/people/{bo_id}/points", data={"amount": "70", "reason": "Meetup talk"}
        )
        assert response.status_code == 302, f"HR adjusts points: {response.status_code}"
        with app.app_context():
            amounts = db.session.scalars(select(PointEntry.amount).filter_by(user_id=bo_id))
            assert list(amounts) == [70], "the adjustment is in the ledger"

        failed = [sign_in("ada@example.com", "wrong")[1] for _ in range(11)]
        assert failed == [401] * 10 + [429], f"failed sign-ins are still limited: {failed}"

        server.start()  # a fresh server: it kept nothing
        with time_machine.travel(timedelta(seconds=61)):  # the limiter looks for Redis again
            assert sign_in("bo@example.com", "wrong")[1] == 401
            assert any(key.startswith("LIMIT") for key in redis.scan_iter()), (
                "failed sign-ins are counted in Redis again"
            )
        # The fresh server lacks Ada's points from before: the first reader finds the boards
        # lost, is told they are away, and a rebuild from the ledger brings them all back.
        board = ada_client.get("/leaderboard/?period=all").text
        assert 'data-testid="board-unavailable"' in board, "a board that lost Ada is not shown"
        recovery.wait_for_recovery(60)
        with app.app_context():
            assert projection.pending_count() == 0
            assert verify.verify() == []
            top = reads.top(kinds.COMPANY, "all", 10)
            assert [(row.user_id, row.points) for row in top] == [(bo_id, 70), (ada_id, 40)]
        board = ada_client.get("/leaderboard/?period=all").text
        assert "Bo During" in board and "Ada Before" in board
    finally:
        server.close()
    print("ok")


if __name__ == "__main__":
    _journey()
