"""The leaderboard benchmark still runs end to end (tiny N, short load phase). Its timings are
printed, never asserted: only that every part ran and the answers agree."""

from __future__ import annotations

import pytest

from bench import leaderboards


def test_the_benchmark_runs_at_a_tiny_size(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # Its own SQLite file and Redis server, whatever the test run is pointed at.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    argv = ["--sizes", "200", "--samples", "50", "--sql-seconds", "0.5", "--http-seconds", "0.3"]
    [result] = leaderboards.main(argv)
    assert result.people == 200 and result.entries == 400
    assert result.rebuild_boards > 0 and result.rebuild_members > 0
    assert result.verify_drift == 0
    assert result.redis_samples == 50 and result.sql_samples >= 1
    assert result.answers_agree
    assert result.http["leaderboard_rps"] > 0 and result.http["minimal_rps"] > 0
    assert "(c) leaderboard" in capsys.readouterr().out
