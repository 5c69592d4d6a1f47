"""Challenge rebuild benchmark: every board rebuilt from a ledger whose entries are credited to
challenges, against a rebuild of the same ledger without the challenge boards.

    .venv/bin/python -m bench.challenge_rebuild --entries 1000000

It bulk loads (`executemany` on SQLite, `COPY` on PostgreSQL) 10,000 people over 20
departments (1% hidden: opted out or HR) and a ledger of `--entries` point entries over the last
two years (ids in time order; 2% adjustments, the rest referral stage entries), and 20
challenges whose windows tile those two years (36.5 days each; every fourth one for two
departments, the others company-wide). Each stage entry inside a window, of a person in the
challenge's scope, gets its `ChallengeCredit` (its points), and each person with credits a
`ChallengeEntrant` row holding their tally (0.5% disqualified: the board's hidden side) — what
`challenges.credits` would have written. So about one credit per entry.

Then `leaderboards.rebuild.rebuild()` runs `--repeats` times with the challenge board kind
registered and as often without it (`kinds.unregister`: the same rebuild, minus the kind's
grouped query and its boards), alternating, each from an empty Redis (the bench's keys cleared
outside the timing). Reported: the median of each, their ratio (and the median of each repeat's
own ratio, steadier under load from elsewhere), and the boards and members each wrote; then
`verify()` of the boards with challenges (up to `--verify-up-to` entries).

The database is an SQLite file in a temporary directory, or DATABASE_URL (its name must
contain "bench": every table is dropped); Redis is an embedded server, or REDIS_URL (keys under
`{benchcr}`, deleted afterwards). Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url

from bench.leaderboards import (
    _clear_bench_keys,
    _copy,
    _sqlite_stamp,
    database_url,
    make_app,
    start_redis,
)

PREFIX = "benchcr"
DEPARTMENTS = 20
LEDGER_DAYS = 730
HIDDEN_SHARE = 0.01
DISQUALIFIED_SHARE = 0.005
ADJUSTMENT_SHARE = 0.02
STAGE_POINTS = (("submitted", 10), ("interviewing", 30), ("offer", 50), ("hired", 100))


@dataclass
class Result:
    entries: int
    people: int
    challenges: int
    database: str
    credits: int = 0
    entrants: int = 0
    load_seconds: float = 0.0
    with_seconds: list[float] = field(default_factory=list)
    without_seconds: list[float] = field(default_factory=list)
    with_median: float = 0.0
    without_median: float = 0.0
    ratio: float = 0.0
    pair_ratio: float = 0.0  # the median of each repeat's own ratio (its two rebuilds adjacent)
    boards_with: int = 0
    members_with: int = 0
    boards_without: int = 0
    members_without: int = 0
    verify_drift: int = -1  # -1: not verified
    verify_seconds: float = 0.0


# Loading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    challenge_id: int
    start: datetime
    end: datetime
    departments: frozenset[int]  # empty: company-wide


def windows(count: int, start: datetime) -> list[Window]:
    """`count` windows tiling LEDGER_DAYS from `start`; every fourth for two departments."""
    width = timedelta(days=LEDGER_DAYS / count)
    return [
        Window(
            k + 1,
            start + k * width,
            start + (k + 1) * width,
            frozenset({1 + k % DEPARTMENTS, 1 + (k + 7) % DEPARTMENTS})
            if k % 4 == 3
            else frozenset(),
        )
        for k in range(count)
    ]


def load(app: Flask, entries: int, people: int, challenges: int, seed: int = 20261203) -> Result:
    """Fresh tables holding the ledger, the challenges, their entrants and credits."""
    from community.challenges.models import Challenge, ChallengeStatus, PeopleScope
    from community.extensions import db

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    start = now - timedelta(days=LEDGER_DAYS)
    created = start - timedelta(days=1)
    department_of = [0] + [rng.randrange(1, DEPARTMENTS + 1) for _ in range(people)]
    hidden = {i for i in range(2, people + 1) if rng.random() < HIDDEN_SHARE}
    moments = sorted(rng.randrange(LEDGER_DAYS * 86400) for _ in range(entries))
    # One row per entry: (id, user, amount, kind, stage, department, key, created_at).
    ledger = []
    for i, offset in enumerate(moments, start=1):
        user = 1 + (i - 1) % people if i <= people else rng.randrange(1, people + 1)
        adjustment = rng.random() < ADJUSTMENT_SHARE
        stage, amount = (
            (None, rng.choice((-20, 25, 40))) if adjustment else rng.choice(STAGE_POINTS)
        )
        kind = "adjustment" if adjustment else "earned"
        moment = start + timedelta(seconds=offset)
        ledger.append((i, user, amount, kind, stage, department_of[user], f"b:{i}", moment))
    spans = windows(challenges, start)
    width = spans[0].end - spans[0].start
    credits = []
    tallies: dict[tuple[int, int], list[Any]] = {}  # (challenge, user) → [score, reached]
    for i, user, amount, kind, stage, department, _key, moment in ledger:
        window = spans[min(int((moment - start) / width), len(spans) - 1)]
        if kind != "earned" or (window.departments and department not in window.departments):
            continue
        if user in hidden and user % 2:  # HR (see `users`) never competes
            continue
        credits.append((len(credits) + 1, window.challenge_id, i, user, stage, amount, moment))
        tally = tallies.setdefault((window.challenge_id, user), [0, moment])
        tally[0] += amount
        tally[1] = max(tally[1], moment)
    result = Result(entries, people, challenges, database="")

    def users() -> Iterator[tuple[Any, ...]]:
        for i in range(1, people + 1):
            role = "hr" if i in hidden and i % 2 else "employee"
            opted_out = i in hidden and role == "employee"
            email = f"bench{i}@bench.example"
            yield (i, email, email, f"Bench person {i}", role, department_of[i], opted_out, True,
                   created, 0)  # fmt: skip

    def entrants() -> Iterator[tuple[Any, ...]]:
        for n, ((challenge_id, user), (score, reached)) in enumerate(sorted(tallies.items()), 1):
            out = rng.random() < DISQUALIFIED_SHARE
            yield (n, challenge_id, user, department_of[user], score, reached, 0, 0,
                   reached if out else None)  # fmt: skip

    with app.app_context():
        db.drop_all()
        db.create_all()
        postgres = db.engine.dialect.name == "postgresql"
        result.database = db.engine.dialect.name
        tables = [
            ("departments (id, name, created_at)",
             [(i, f"Bench department {i:02d}", created) for i in range(1, DEPARTMENTS + 1)]),
            ("users (id, email, email_key, name, role, department_id, leaderboard_opt_out, "
             "is_active_account, created_at, session_version)", users()),
            ("point_entries (id, user_id, amount, kind, stage, department_id, idempotency_key, "
             "created_at)", ledger),
        ]  # fmt: skip
        _bulk(db.engine, tables, postgres)
        host = people + 1  # the HR person who hosts every challenge (not on any board)
        _bulk(
            db.engine,
            [(
                "users (id, email, email_key, name, role, department_id, leaderboard_opt_out, "
                "is_active_account, created_at, session_version)",
                [(host, "host@bench.example", "host@bench.example", "Bench host", "hr", 1,
                  False, True, created, 0)],
            )],
            postgres,
        )  # fmt: skip
        for window in spans:
            final = window.end <= now - timedelta(days=1)
            db.session.add(
                Challenge(
                    id=window.challenge_id,
                    title=f"基准挑战 {window.challenge_id}",
                    title_en=f"Bench challenge {window.challenge_id}",
                    host_id=host,
                    status=ChallengeStatus.FINAL if final else ChallengeStatus.LIVE,
                    people_scope=PeopleScope.DEPARTMENTS
                    if window.departments
                    else PeopleScope.COMPANY,
                    department_ids=sorted(window.departments),
                    starts_at=window.start,
                    ends_at=window.end if final else now + timedelta(days=7),
                    created_at=window.start - timedelta(days=7),
                )
            )
        db.session.commit()
        _bulk(
            db.engine,
            [
                ("challenge_entrants (id, challenge_id, user_id, department_id, score, reached_at, "
                 "referrals, interviews, disqualified_at)", entrants()),
                ("challenge_credits (id, challenge_id, entry_id, user_id, stage, units, bonus, "
                 "capped, after_final, created_at)",
                 ((n, c, e, u, s, a, False, False, False, m) for n, c, e, u, s, a, m in credits)),
            ],
            postgres,
            analyze=True,
        )  # fmt: skip
    result.credits, result.entrants = len(credits), len(tallies)
    return result


def _bulk(
    engine: Any, tables: list[tuple[str, Any]], postgres: bool, analyze: bool = False
) -> None:
    """Insert rows into `table (columns)` targets: COPY on PostgreSQL (then its id sequence set),
    executemany on SQLite (timestamps as SQLAlchemy writes them)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if not postgres:
            cursor.execute("PRAGMA synchronous = OFF")
        for target, rows in tables:
            name = target.split(" ", 1)[0]
            if postgres:
                _copy(cursor, target, rows)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            else:
                width = target.count(",") + 1
                cursor.executemany(
                    f"INSERT INTO {target} VALUES ({', '.join('?' * width)})",
                    (tuple(_sqlite_stamp(v) if isinstance(v, datetime) else v for v in row)
                     for row in rows),
                )  # fmt: skip
        raw.commit()
        if analyze:
            cursor.execute("ANALYZE")
            raw.commit()
        if not postgres:
            cursor.execute("PRAGMA synchronous = FULL")
    finally:
        raw.close()


# Measuring -----------------------------------------------------------------------------------


def measure(app: Flask, redis_url: str, result: Result, repeats: int, verify_up_to: int) -> None:
    """Rebuild with and without the challenge boards, alternating, from an empty Redis each."""
    from community.challenges.boards import CHALLENGE_BOARDS
    from community.extensions import db
    from community.leaderboards import kinds
    from community.leaderboards.rebuild import rebuild
    from community.leaderboards.verify import verify

    with app.app_context():
        try:
            for repeat in range(repeats):
                order = (True, False) if repeat % 2 == 0 else (False, True)
                for with_challenges in order:
                    if with_challenges:
                        kinds.register(CHALLENGE_BOARDS)
                    else:
                        kinds.unregister(CHALLENGE_BOARDS.name)
                    _clear_bench_keys(redis_url, PREFIX)
                    started = time.perf_counter()
                    rebuilt = rebuild()
                    seconds = time.perf_counter() - started
                    if with_challenges:
                        result.with_seconds.append(seconds)
                        result.boards_with, result.members_with = rebuilt.boards, rebuilt.members
                    else:
                        result.without_seconds.append(seconds)
                        result.boards_without = rebuilt.boards
                        result.members_without = rebuilt.members
                    label = "with" if with_challenges else "without"
                    _say(
                        f"  rebuild {label} challenges: {seconds:.2f}s, {rebuilt.boards} boards, "
                        f"{rebuilt.members:,} members"
                    )
            kinds.register(CHALLENGE_BOARDS)
            if result.entries <= verify_up_to:
                rebuild()
                started = time.perf_counter()
                result.verify_drift = len(verify())
                result.verify_seconds = time.perf_counter() - started
        finally:
            kinds.register(CHALLENGE_BOARDS)
            db.session.remove()
            db.engine.dispose()
    result.with_median = statistics.median(result.with_seconds)
    result.without_median = statistics.median(result.without_seconds)
    result.ratio = result.with_median / result.without_median
    pairs = zip(result.with_seconds, result.without_seconds, strict=True)
    result.pair_ratio = statistics.median(w / wo for w, wo in pairs)


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", default="1000000", help="ledger entries (e.g. 100_000)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--challenges", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3, help="rebuilds with and without each")
    parser.add_argument(
        "--verify-up-to", default="1000000", help="run verify after the rebuilds up to this size"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    logging.getLogger("community").setLevel(logging.WARNING)
    entries = int(args.entries.replace("_", ""))
    people = min(args.people, entries)

    workdir = Path(tempfile.mkdtemp(prefix="bench-challenge-rebuild-"))
    redis_url, embedded = start_redis(workdir)
    db_url = database_url(workdir, entries)
    _say(
        f"bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"{make_url(db_url).get_backend_name()}, {redis_url}"
    )
    try:
        app = make_app(db_url, redis_url, workdir, prefix=PREFIX)
        started = time.perf_counter()
        result = load(app, entries, people, args.challenges)
        result.load_seconds = time.perf_counter() - started
        _say(
            f"loaded {entries:,} entries of {people:,} people, {result.credits:,} credits and "
            f"{result.entrants:,} entrants in {args.challenges} challenges in "
            f"{result.load_seconds:.1f}s"
        )
        measure(app, redis_url, result, args.repeats, int(args.verify_up_to.replace("_", "")))
    finally:
        _clear_bench_keys(redis_url, PREFIX)
        if embedded is not None:
            embedded.terminate()
            embedded.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    verified = (
        f"verify {result.verify_seconds:.1f}s, {result.verify_drift} differences"
        if result.verify_drift >= 0
        else "verify skipped"
    )
    _say(
        f"{result.database}, {entries:,} entries: rebuild with challenges "
        f"{result.with_median:.2f}s, without {result.without_median:.2f}s (medians of "
        f"{args.repeats}): {result.ratio:.2f}x (per repeat {result.pair_ratio:.2f}x); with: {result.boards_with} boards, "
        f"{result.members_with:,} members; without: {result.boards_without} boards, "
        f"{result.members_without:,} members; {verified}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(result), indent=2, default=str))
    return result


if __name__ == "__main__":
    main()
