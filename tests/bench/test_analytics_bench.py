"""The analytics benchmark still runs end to end at a tiny size, on SQLite (and on PostgreSQL
when the suite runs there): every dashboard query and every naive one ran, and the rollups'
funnel equals the one counted from the raw tables. Timings are printed, never asserted. A
subprocess, as tests/bench/test_bench_smoke.py explains."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import servers

ROOT = Path(__file__).resolve().parents[2]


def test_the_analytics_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    engines = "sqlite,postgresql" if servers.environment()[0] else "sqlite"
    figures = tmp_path / "figures.json"
    command = [
        sys.executable, "-m", "bench.analytics", "--referrals", "600", "--entries", "3000",
        "--samples", "2", "--engines", engines, "--json", str(figures),
    ]  # fmt: skip
    if engines != "sqlite":
        command += [
            "--database-url",
            "postgresql://postgres@127.0.0.1:5432/community_bench_analytics_smoke",
        ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(figures.read_text())
    assert found["referrals"] == 600 and found["entries"] == 3000
    for engine in found["engines"].values():
        assert engine["same_funnel_as_raw"] is True
        assert {"funnel", "retention", "whole dashboard", "naive: funnel"} <= set(engine["timings"])
        assert "whole dashboard" in engine["ratios"]
