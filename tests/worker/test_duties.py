"""The tick runs every registered duty for the current time, each on its own: one that fails is
rolled back and logged, and the others still run; `flask worker tick` reports and exits 1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine

from community.accounts.models import Department, User
from community.extensions import db
from community.leaderboards import kinds, reads, verify
from community.leaderboards.projection import pending_count
from community.points.services import adjust_points
from community.worker import duties
from tests.factories import make_user
from tests.redis_server import RedisServer


@pytest.fixture
def seen() -> Iterator[list[tuple[str, datetime]]]:
    """Two duties of a test's own: one notes the time it was asked about, one fails after
    writing, so its write must not stand."""
    calls: list[tuple[str, datetime]] = []

    def note(now: datetime) -> int:
        calls.append(("note", now))
        return 1

    def fail(now: datetime) -> int:
        db.session.add(Department(name="Half written"))
        db.session.flush()
        raise RuntimeError("the mail server is down")

    duties.register(duties.Duty("test.fail", fail, "fails"))
    duties.register(duties.Duty("test.note", note, "notes the time"))
    yield calls
    duties.unregister("test.fail")
    duties.unregister("test.note")


def test_the_tick_asks_each_duty_about_the_current_time(seen: list[Any]) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 9, 30), tick=False):
        done = duties.run_due()
    assert seen == [("note", datetime(2027, 3, 1, 9, 30))]
    assert done["test.note"] == 1


def test_a_failing_duty_is_rolled_back_and_logged_and_the_others_run(
    seen: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    done = duties.run_due()
    assert done["test.fail"] == duties.FAILED and done["test.note"] == 1
    assert db.session.query(Department).filter_by(name="Half written").count() == 0
    assert "the duty test.fail failed" in caplog.text and "the mail server is down" in caplog.text


def test_the_tick_command_reports_each_duty_and_fails_when_one_failed(
    seen: list[Any], runner: Any
) -> None:
    result = runner.invoke(args=["worker", "tick"])
    assert result.exit_code == 1
    assert "test.note: 1" in result.output and "test.fail: failed" in result.output
    duties.unregister("test.fail")
    result = runner.invoke(args=["worker", "tick"])
    assert result.exit_code == 0, result.output


def test_the_duties_command_lists_what_the_tick_runs(runner: Any) -> None:
    result = runner.invoke(args=["worker", "duties"])
    assert "leaderboards.apply-pending: apply ledger entries the boards missed" in result.output


def test_entries_written_while_redis_was_down_reach_the_boards_on_the_next_tick(
    hr: User, own_redis: RedisServer, runner: Any
) -> None:
    ann = make_user()
    own_redis.stop()
    adjust_points(hr, ann, 30, "Helped at the career fair")
    assert pending_count() == 1
    own_redis.start()  # an empty server: the tick rebuilds the boards from the ledger

    result = runner.invoke(args=["worker", "tick"])

    assert result.exit_code == 0 and "leaderboards.apply-pending: 1" in result.output
    assert pending_count() == 0 and verify.verify() == []
    assert [(e.user_id, e.points) for e in reads.top(kinds.COMPANY, "all")] == [(ann.id, 30)]  # type: ignore[union-attr]
