"""The forum benchmark still runs end to end at a tiny size, on SQLite (and on PostgreSQL when
the suite runs there): every part ran, and search found what the corpus planted. Timings are
printed, never asserted. A subprocess, as tests/bench/test_bench_smoke.py explains."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import servers

ROOT = Path(__file__).resolve().parents[2]


def test_the_forum_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    engines = "sqlite,postgresql" if servers.environment()[0] else "sqlite"
    figures = tmp_path / "figures.json"
    command = [
        sys.executable, "-m", "bench.forum_search", "--posts", "400", "--topics", "40",
        "--samples", "2", "--engines", engines, "--json", str(figures),
    ]  # fmt: skip
    if engines != "sqlite":
        command += ["--pg-url", "postgresql://postgres@127.0.0.1:5432/community_bench_search_smoke"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(figures.read_text())
    assert found["posts"] == 400 and found["topics"] == 40
    for engine in found["engines"].values():
        assert {"topic page", "category page", "categories list"} <= set(engine["timings"])
        assert set(engine["ratios"]) == {
            "rare word", "two Chinese words", "Chinese and English", "common word", "short (prefix)",
        }  # fmt: skip
    if engines != "sqlite":
        assert found["same_results_on_both"] is True
