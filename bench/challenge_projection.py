"""Challenge projection benchmark: what one award costs with 0, 1, 20 and 100 live challenges.

    .venv/bin/python -m bench.challenge_projection --rounds 15

An award is HR moving a referral from screening to interviewing: one ledger entry (the
interview's points), credited in SQL to every live challenge (all company-wide, all jobs, no
multiplier, so the entry counts in each), then projected to Redis after the commit by the APPLY
script (`leaderboards.projection`) onto the company and department boards of every period and
one `challenge:<id>` board per challenge. Per award it measures:

- wall time of the whole `advance_stage` call (the move, its listeners, the credits, the commit
  and the projection after it), and of the projection alone;
- SQL statements sent to the database;
- Redis round trips and commands the client sent (counted in redis-py), and commands Redis
  executed (`INFO commandstats` deltas, which count the script's inner calls too).

One database and one Redis for every configuration: as many challenges as the largest count
(100) are created and go live through the services and the clock (`lifecycle.keep_time`);
before each award the bench sets the first N of them live and the others back to draft (one
UPDATE, outside the measurement), so the configurations are measured in interleaved rounds and a
burst of load from elsewhere on a shared machine falls on all of them alike. Every referrer
already competes in every challenge (their screening was credited while all were live), so an
award adds a credit to an existing tally.

Times are printed as medians and as ratios to 0 challenges measured in the same run; nothing
here asserts a timing. The database is an SQLite file in a temporary directory, or DATABASE_URL
(its name must contain "bench": every table is dropped); Redis is an embedded server, or
REDIS_URL (keys under `{benchch}`, deleted afterwards; on a shared server `commandstats` also
counts other clients, so the smallest count of the rounds is reported, with the largest beside it).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

import redis
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from bench.counting import Tally, command_stats, counting
from bench.leaderboards import _clear_bench_keys, database_url, make_app, start_redis

PREFIX = "benchch"
COUNTS = (0, 1, 20, 100)  # live challenges; the first is the baseline
# Referrals per referrer that the bench moves to interviewing: with at most four referrals each
# nobody reaches a badge that pays points (honest matchmaker needs five), so every award writes
# one ledger entry; each referrer's first interview (a badge) happens in the set-up.
AWARDS_PER_REFERRER = 3


@dataclass
class Configuration:
    """The figures of one number of live challenges, one value per measured award."""

    challenges: int
    boards: int = 0  # boards the entry is written to (public or hidden side)
    wall_ms: list[float] = field(default_factory=list)
    projection_ms: list[float] = field(default_factory=list)
    sql_statements: list[int] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    commands_sent: list[int] = field(default_factory=list)
    commands_in_redis: list[int] = field(default_factory=list)
    redis_breakdown: dict[str, int] = field(default_factory=dict)  # of the smallest count
    summary: dict[str, float] = field(default_factory=dict)


# Set-up --------------------------------------------------------------------------------------


def setup(app: Flask, awards: int, challenges: int) -> tuple[list[int], list[int], int]:
    """Fresh tables; an HR host, referrers (each with a first referral already at interviewing),
    a job, `challenges` live company-wide challenges, and `awards` referrals at screening
    (credited in all of them). Returns (challenge ids, referral ids, HR's id)."""
    from community.accounts.models import Department, Role, User
    from community.challenges import lifecycle, services
    from community.challenges.rules import ChallengeFields
    from community.core.time import utcnow
    from community.extensions import db
    from community.jobs.models import Education, Job, JobFamily, JobStatus, hard_requirements
    from community.pipeline import Stage
    from community.referrals.services import ReferralSubmission, advance_stage, submit_referral

    with app.app_context():
        db.drop_all()
        db.create_all()
        department = Department(name="Bench department")
        hr = User(email="hr@bench.example", name="Bench HR", role=Role.HR, department=department)
        referrers = [
            User(email=f"r{i}@bench.example", name=f"Referrer {i}", department=department)
            for i in range(-(-awards // AWARDS_PER_REFERRER))
        ]
        job = Job(
            title="Bench engineer",
            family=JobFamily.ENGINEERING,
            location="Shanghai",
            description="Build services.",
            competencies=["System design"],
            education=Education.BACHELOR,
            min_years=3,
            skills=["Python"],
            certificates=[],
            soft_traits=["Communication"],
            bonus_minor=800000,
            bonus_currency="CNY",
            status=JobStatus.OPEN,
            opened_at=utcnow() - timedelta(days=1),
            department=department,
        )
        db.session.add_all([department, hr, job, *referrers])
        db.session.commit()
        now = utcnow()
        challenge_ids = []
        for n in range(challenges):
            fields = ChallengeFields(
                title=f"基准挑战 {n + 1}",
                title_en=f"Bench challenge {n + 1}",
                starts_at=now,
                ends_at=now + timedelta(days=30),
            )
            challenge = services.create_challenge(hr, fields)
            services.submit_challenge(hr, challenge.id)
            challenge_ids.append(challenge.id)
        lifecycle.keep_time(utcnow())
        referral_ids = []
        firsts = len(referrers)
        for n in range(firsts + awards):
            submission = ReferralSubmission(
                candidate_name=f"Candidate {n}",
                email=f"candidate{n}@bench.example",
                relationship="former_colleague",
                known_for="3_5",
                fit_reason="Led a migration and explains trade-offs clearly to everyone.",
                consent=True,
                hard_assessment={req.key: "meets" for req in hard_requirements(job)},
                soft_ratings={trait: 4 for trait in job.soft_traits or []},
                resume_url=f"https://drive.example.com/file/bench{n}/view",
            )
            referral = submit_referral(referrers[n % len(referrers)], job, submission)
            advance_stage(referral, Stage.SCREENING, hr, expected_from=referral.stage)
            if n < firsts:
                advance_stage(referral, Stage.INTERVIEWING, hr, expected_from=Stage.SCREENING)
            else:
                referral_ids.append(referral.id)
        return challenge_ids, referral_ids, hr.id


def set_live(challenge_ids: list[int], live: int) -> None:
    """The first `live` challenges live, the others back to draft (which counts nothing)."""
    from community.challenges.models import Challenge, ChallengeStatus
    from community.extensions import db

    db.session.execute(
        update(Challenge)
        .where(Challenge.id.in_(challenge_ids[:live]))
        .values(status=ChallengeStatus.LIVE)
    )
    db.session.execute(
        update(Challenge)
        .where(Challenge.id.in_(challenge_ids[live:]))
        .values(status=ChallengeStatus.DRAFT)
    )
    db.session.commit()
    db.session.expire_all()


# Measuring -----------------------------------------------------------------------------------


def award(
    app: Flask, stats_client: redis.Redis, referral_id: int, hr_id: int
) -> tuple[float, Tally, Counter[str], int]:
    """Move one referral from screening to interviewing: (seconds, tally, Redis commands run,
    boards its entry went to)."""
    from community.accounts.models import User
    from community.extensions import db
    from community.leaderboards.kinds import placements
    from community.leaderboards.visibility import hidden_user_ids
    from community.pipeline import Stage
    from community.points.models import PointEntry
    from community.referrals.models import Referral
    from community.referrals.services import advance_stage

    referral = db.session.get(Referral, referral_id)
    hr = db.session.get(User, hr_id)
    assert referral is not None and hr is not None
    before = command_stats(stats_client)
    with counting(app) as tally:
        started = time.perf_counter()
        advance_stage(referral, Stage.INTERVIEWING, hr, expected_from=Stage.SCREENING)
        seconds = time.perf_counter() - started
    ran = command_stats(stats_client)
    ran.subtract(before)
    ran = +ran  # only what was called
    written = db.session.scalars(
        select(PointEntry).where(
            PointEntry.referral_id == referral_id, PointEntry.stage == Stage.INTERVIEWING
        )
    ).one()
    session = db.session()
    places = placements(session, [written], hidden_user_ids(session, {written.user_id}))
    return seconds, tally, ran, len(places[written.id])


def measure(
    app: Flask, redis_url: str, counts: tuple[int, ...], rounds: int, warmup: int
) -> list[Configuration]:
    from community.extensions import db
    from community.leaderboards import verify

    configurations = {n: Configuration(challenges=n) for n in counts}
    awards = (rounds + warmup) * len(counts)
    started = time.perf_counter()
    challenge_ids, referral_ids, hr_id = setup(app, awards, max(counts))
    _say(f"set up {len(challenge_ids)} challenges, {awards} referrals in {_since(started):.1f}s")
    stats_client = redis.Redis.from_url(redis_url)
    pending = iter(referral_ids)
    with app.app_context():
        for round_number in range(warmup + rounds):
            shift = round_number % len(counts)  # each configuration goes first as often
            for live in counts[shift:] + counts[:shift]:
                set_live(challenge_ids, live)
                seconds, tally, ran, boards = award(app, stats_client, next(pending), hr_id)
                if round_number < warmup:
                    continue
                figures = configurations[live]
                figures.boards = boards
                figures.wall_ms.append(1000 * seconds)
                figures.projection_ms.append(1000 * tally.projection_seconds)
                figures.sql_statements.append(tally.statements)
                figures.round_trips.append(tally.round_trips)
                figures.commands_sent.append(tally.commands)
                total = sum(ran.values())
                if not figures.commands_in_redis or total < min(figures.commands_in_redis):
                    figures.redis_breakdown = dict(sorted(ran.items()))
                figures.commands_in_redis.append(total)
        set_live(challenge_ids, max(counts))
        drift = verify.verify()
        db.session.remove()
    if drift:
        raise RuntimeError(f"the boards drifted from the ledger: {drift[:3]}")
    results = [configurations[n] for n in counts]
    summarise(results)
    return results


def summarise(results: list[Configuration]) -> None:
    base = results[0]
    base_wall = statistics.median(base.wall_ms)
    base_projection = statistics.median(base.projection_ms)
    base_commands = min(base.commands_in_redis)
    for figures in results:
        wall, projection = (
            statistics.median(figures.wall_ms),
            statistics.median(figures.projection_ms),
        )
        commands = min(figures.commands_in_redis)
        figures.summary = {
            "wall_ms": wall,
            "wall_ratio": wall / base_wall,
            # The ratio within each round (its awards ran back to back), then their median:
            # steadier than the ratio of medians when load from elsewhere comes and goes.
            "wall_round_ratio": statistics.median(
                w / b for w, b in zip(figures.wall_ms, base.wall_ms, strict=True)
            ),
            "projection_ms": projection,
            "projection_ratio": projection / base_projection,
            "sql_statements": statistics.median(figures.sql_statements),
            "round_trips": statistics.median(figures.round_trips),
            "commands_sent": statistics.median(figures.commands_sent),
            "commands_in_redis": commands,
            "commands_in_redis_max": max(figures.commands_in_redis),
            "commands_ratio": commands / base_commands,
        }


def report(results: list[Configuration], database: str) -> None:
    _say(f"\n{database}: per award, median of {len(results[0].wall_ms)} (ratio to 0 challenges)")
    _say(
        "live | boards | wall ms (per-round ratio) | projection ms | SQL stmts | round trips | "
        "sent | in Redis"
    )
    for f in results:
        s = f.summary
        spread = (
            f" (max {s['commands_in_redis_max']:.0f})"
            if s["commands_in_redis_max"] != s["commands_in_redis"]
            else ""
        )
        _say(
            f"{f.challenges:>4} | {f.boards:>6} | {s['wall_ms']:7.1f} ({s['wall_ratio']:.1f}x; "
            f"{s['wall_round_ratio']:.1f}x) | "
            f"{s['projection_ms']:6.2f} ({s['projection_ratio']:.1f}x) | "
            f"{s['sql_statements']:.0f} | {s['round_trips']:.0f} | {s['commands_sent']:.0f} | "
            f"{s['commands_in_redis']:.0f}{spread} ({s['commands_ratio']:.1f}x)"
        )


# Driver --------------------------------------------------------------------------------------


def _since(started: float) -> float:
    return time.perf_counter() - started


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> list[Configuration]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="measured awards per configuration")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first")
    parser.add_argument(
        "--counts", default=",".join(map(str, COUNTS)), help="live challenges, baseline first"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    counts = tuple(int(n) for n in args.counts.split(","))
    logging.getLogger("community").setLevel(logging.WARNING)  # no line per move and badge

    workdir = Path(tempfile.mkdtemp(prefix="bench-challenges-"))
    redis_url, embedded = start_redis(workdir)
    db_url = database_url(workdir, 0)
    database = make_url(db_url).get_backend_name()
    _say(f"bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {database}, {redis_url}")
    try:
        _clear_bench_keys(redis_url, PREFIX)
        app = make_app(db_url, redis_url, workdir, prefix=PREFIX)
        results = measure(app, redis_url, counts, args.rounds, args.warmup)
        report(results, database)
        with app.app_context():
            from community.extensions import db

            db.engine.dispose()
    finally:
        _clear_bench_keys(redis_url, PREFIX)
        if embedded is not None:
            embedded.terminate()
            embedded.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"database": database, "results": [asdict(r) for r in results]}, indent=2)
        )
    return results


if __name__ == "__main__":
    main()
