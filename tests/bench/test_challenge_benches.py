"""The challenge benchmarks still run end to end at a tiny size. Their timings are printed, never
asserted: only that every part ran, the counts make sense and the boards agree with the ledger.

They run in a subprocess for the reason tests/bench/test_bench_smoke.py gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, module: str, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    figures = tmp_path / "figures.json"
    command = [sys.executable, "-m", module, *args, "--json", str(figures)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(figures.read_text())


def test_the_projection_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    found = _run(
        tmp_path,
        "bench.challenge_projection",
        "--counts",
        "0,1,3",
        "--rounds",
        "2",
        "--warmup",
        "0",
    )
    results = found["results"]
    assert [r["challenges"] for r in results] == [0, 1, 3]
    # The company and department boards of five periods, and one board per challenge.
    assert [r["boards"] for r in results] == [10, 11, 13]
    for r in results:
        assert len(r["wall_ms"]) == 2 and r["summary"]["wall_ratio"] > 0
        assert r["summary"]["round_trips"] >= 1 and r["summary"]["sql_statements"] > 0
    executed = [r["summary"]["commands_in_redis"] for r in results]
    assert executed[0] < executed[1] < executed[2]  # the script's inner calls grow per board
    assert "evalsha" in results[0]["redis_breakdown"]


def test_the_rebuild_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    found = _run(
        tmp_path,
        "bench.challenge_rebuild",
        "--entries",
        "2000",
        "--people",
        "200",
        "--repeats",
        "1",
    )
    assert found["credits"] > 0 and found["entrants"] > 0
    assert found["boards_with"] > found["boards_without"] > 0
    assert found["members_with"] > found["members_without"] > 0
    assert found["with_median"] > 0 and found["without_median"] > 0 and found["ratio"] > 0
    assert found["verify_drift"] == 0
