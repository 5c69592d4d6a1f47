"""The leaderboard benchmark still runs end to end (tiny N, short load phase). Its timings are
printed, never asserted: only that every part ran and the answers agree.

It runs in a subprocess: the benchmark creates its own app, and Flask extensions such as the rate
limiter keep one storage per process, which would then point the test app at the benchmark's
Redis after it has stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    figures = tmp_path / "bench.json"
    command = [
        sys.executable, "-m", "bench.leaderboards",
        "--sizes", "200", "--samples", "50", "--sql-seconds", "0.5", "--http-seconds", "0.3",
        "--json", str(figures),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(c) leaderboard" in done.stdout
    [result] = json.loads(figures.read_text())
    assert result["people"] == 200 and result["entries"] == 400
    assert result["rebuild_boards"] > 0 and result["rebuild_members"] > 0
    assert result["verify_drift"] == 0
    assert result["redis_samples"] == 50 and result["sql_samples"] >= 1
    assert result["answers_agree"]
    assert result["http"]["leaderboard_rps"] > 0 and result["http"]["minimal_rps"] > 0
