"""Analytics benchmark (issue 15, "Fast at real size"): with 100,000 referrals (their whole
stage history) and 1,000,000 ledger entries, every dashboard query, p50 and p95, on SQLite and
on PostgreSQL in one run, against the naive query on the raw tables as a ratio.

    .venv/bin/python -m bench.analytics                         # 100k referrals, 1M entries
    .venv/bin/python -m bench.analytics --referrals 5000 --entries 50000 --samples 5   # quick

The company is generated once (seeded, identical on both engines): 5,000 people in 20
departments, 400 jobs in every family, referrals over two years that move along the pipeline
with plausible odds and delays (some skip screening, offers declined, hires with start dates,
some who left), payouts for the hires, a perk and its redemptions, four challenges and the
ledger. Rows are bulk inserted; then `rollups.rebuild()` builds the rollups (timed: the worst
catch-up there is) and the dashboard is read as HR reads it, for the last 91 days (a quarter,
the page's default period; `--days 365` for a year):

- the rollups: each query of `analytics.queries` (what the page calls), and the whole page;
- the baseline: the same numbers from the raw tables (referrals joined to their history, the
  ledger summed) with no rollup, for the funnel, the funnel per department, time in stage,
  participation, points by month, quality per job and retention.

SQLite is a file in a temporary directory; PostgreSQL is `--database-url` (default a database
`community_bench_analytics` on 127.0.0.1, created when missing; its name must contain "bench":
every table is dropped). Times are printed (and `--json`), never asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench.forum_search import _pg_url, percentile
from bench.leaderboards import make_app, start_redis

SEED = 20261215
PEOPLE = 5000
DEPARTMENTS = 20
JOBS = 400
FAMILIES = ("engineering", "product", "design", "marketing", "sales", "operations", "finance")
SOURCES = (("form", 60), ("link", 20), ("code", 12), ("invite", 8))
PG_URL = "postgresql://postgres@127.0.0.1:5432/community_bench_analytics"
NOW = datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# The company -------------------------------------------------------------------------------


def _later(rnd: random.Random, moment: datetime, low: int, high: int) -> datetime:
    return moment + timedelta(days=rnd.randint(low, high), hours=rnd.randint(0, 8))


def _history(rnd: random.Random, submitted: datetime) -> tuple[list[tuple], dict[str, Any]]:
    """The stage moves of one referral: [(from, to, at, reason)], and its row's fields."""
    moves: list[tuple] = []
    stage, at, fields = "submitted", submitted, {"start_date": None, "left_company_on": None}

    def go(to: str, low: int, high: int, reason: str | None = None) -> bool:
        nonlocal stage, at
        when = _later(rnd, at, low, high)
        if when >= NOW:
            return False
        moves.append((stage, to, when, reason))
        stage, at = to, when
        return True

    if rnd.random() < 0.08:
        go("interviewing", 1, 6)
    elif rnd.random() < 0.75:
        if not go("screening", 0, 6):
            return moves, {**fields, "stage": stage, "changed": at}
        if rnd.random() < 0.45:
            go("rejected", 1, 5, "skills")
            return moves, {**fields, "stage": stage, "changed": at}
        go("interviewing", 2, 10)
    else:
        if rnd.random() < 0.5:
            go("rejected", 2, 9, "seniority")
        return moves, {**fields, "stage": stage, "changed": at}
    if stage == "interviewing" and rnd.random() < 0.4 and go("offer", 5, 25):
        if rnd.random() < 0.2:
            go("withdrawn", 1, 7, "declined_offer")
        elif go("hired", 2, 10):
            start = (at + timedelta(days=rnd.randint(7, 30))).date()
            fields["start_date"] = start
            if start + timedelta(days=95) < NOW.date() and rnd.random() < 0.85:
                go("probation_passed", 95, 100)
            if rnd.random() < 0.1 and start + timedelta(days=60) < NOW.date():
                fields["left_company_on"] = start + timedelta(days=rnd.randint(30, 400))
                if fields["left_company_on"] >= NOW.date():
                    fields["left_company_on"] = None
    elif stage == "interviewing" and rnd.random() < 0.6:
        go("rejected", 1, 10, "interview")
    return moves, {**fields, "stage": stage, "changed": at}


def build(referrals: int, entries: int) -> dict[str, list[dict[str, Any]]]:
    rnd = random.Random(SEED)
    start = NOW - timedelta(days=730)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("departments", "users", "jobs")}
    rows["departments"] = [
        {"id": d, "name": f"部门{d}", "name_en": f"Department {d}"}
        for d in range(1, DEPARTMENTS + 1)
    ]
    department_of = {p: 1 + (p * 7) % DEPARTMENTS for p in range(1, PEOPLE + 1)}
    rows["users"] = [
        {"id": p, "email": f"p{p}@bench.example", "email_key": f"p{p}@bench.example",
         "name": f"同事{p}", "role": "hr" if p <= 10 else "employee",
         "department_id": department_of[p], "created_at": start - timedelta(days=30)}
        for p in range(1, PEOPLE + 1)
    ]  # fmt: skip
    rows["jobs"] = [
        {"id": j, "title": f"岗位{j}", "title_en": f"Job {j}", "family": FAMILIES[j % 7],
         "department_id": 1 + j % DEPARTMENTS, "location": "上海", "status": "open",
         "created_at": start, "updated_at": start}
        for j in range(1, JOBS + 1)
    ]  # fmt: skip
    rows.update(candidates=[], referrals=[], referral_events=[], payouts=[])
    # a quiet department refers a tenth as often as the others
    weights = [0.1 if department_of[p] == 3 else 1.0 for p in range(11, PEOPLE + 1)]
    referrers = rnd.choices(range(11, PEOPLE + 1), weights, k=referrals)
    moments = sorted(
        start + timedelta(seconds=rnd.randrange(730 * 86400)) for _ in range(referrals)
    )
    sources = rnd.choices([s for s, _ in SOURCES], [w for _, w in SOURCES], k=referrals)
    event_id = 0
    for i, submitted in enumerate(moments, start=1):
        moves, fields = _history(rnd, submitted)
        rows["candidates"].append(
            {"id": i, "name": f"候选人{i}", "email": f"c{i}@cand.example",
             "email_key": f"c{i}@cand.example", "created_at": submitted}
        )  # fmt: skip
        rows["referrals"].append(
            {"id": i, "job_id": rnd.randint(1, JOBS), "referrer_id": referrers[i - 1],
             "candidate_id": i, "relationship_kind": "former_colleague", "known_for": "1_3",
             "fit_reason": "bench", "hard_assessment": {}, "soft_ratings": {},
             "consent_confirmed_at": submitted, "source": sources[i - 1], "bonus_minor": 500000,
             "bonus_currency": "CNY", "stage": fields["stage"], "stage_changed_at": fields["changed"],
             "review_due_at": None, "owned_until": submitted + timedelta(days=365),
             "submitted_at": submitted, "start_date": fields["start_date"],
             "left_company_on": fields["left_company_on"]}
        )  # fmt: skip
        event_id += 1
        history = [(None, "submitted", submitted, None), *moves]
        for from_stage, to_stage, at, reason in history:
            rows["referral_events"].append(
                {"id": event_id, "referral_id": i, "kind": "stage_change",
                 "from_stage": from_stage, "to_stage": to_stage, "actor_id": 1,
                 "reason_code": reason, "created_at": at}
            )  # fmt: skip
            event_id += 1
            if to_stage == "hired":
                paid = at + timedelta(days=40) < NOW
                rows["payouts"].append(
                    {"referral_id": i, "referrer_id": referrers[i - 1], "stage": "hired",
                     "share_percent": 50, "amount_minor": 250000, "currency": "CNY",
                     "status": "paid" if paid else "pending", "created_at": at,
                     "due_on": fields["start_date"],
                     "paid_on": (at + timedelta(days=35)).date() if paid else None}
                )  # fmt: skip
    rows["point_entries"] = []
    ledger = sorted(start + timedelta(seconds=rnd.randrange(730 * 86400)) for _ in range(entries))
    for n, at in enumerate(ledger, start=1):
        kind = rnd.choices(("earned", "adjustment", "spent", "refunded"), (85, 3, 10, 2))[0]
        user = rnd.randint(11, PEOPLE)
        amount = {"earned": 40, "adjustment": 25, "spent": -300, "refunded": 300}[kind]
        rows["point_entries"].append(
            {"id": n, "user_id": user, "amount": amount, "kind": kind,
             "department_id": department_of[user], "idempotency_key": f"b{n}", "created_at": at}
        )  # fmt: skip
    rows["perks"] = [{"id": 1, "name_en": "Coffee", "name_zh": "咖啡", "cost_points": 300}]
    rows["redemptions"] = [
        {"perk_id": 1, "user_id": e["user_id"], "cost_points": 300, "status": "fulfilled",
         "created_at": e["created_at"]}
        for e in rows["point_entries"] if e["kind"] == "spent"
    ][: entries // 20]  # fmt: skip
    rows["challenges"] = [
        {"id": c, "title": f"挑战{c}", "title_en": f"Challenge {c}", "host_id": 1,
         "status": "final", "starts_at": NOW - timedelta(days=60 * c + 30),
         "ends_at": NOW - timedelta(days=60 * c)}
        for c in range(1, 5)
    ]  # fmt: skip
    return rows


# Loading -----------------------------------------------------------------------------------

ORDER = ("departments", "users", "jobs", "candidates", "referrals", "referral_events",
         "payouts", "point_entries", "perks", "redemptions", "challenges")  # fmt: skip


def load(app: Any, rows: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    from community.analytics import rollups
    from community.extensions import db

    seconds: dict[str, float] = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        tables = db.metadata.tables
        with db.engine.begin() as conn:
            for name in ORDER:
                for low in range(0, len(rows[name]), 10_000):
                    conn.execute(insert(tables[name]), rows[name][low : low + 10_000])
            if db.engine.dialect.name == "postgresql":
                for name in ORDER:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))  # fmt: skip
        seconds["rows"] = time.perf_counter() - started
        _analyze(db)
        with app.test_request_context():
            started = time.perf_counter()
            rollups.rebuild()
            seconds["rollups rebuilt"] = time.perf_counter() - started
        _analyze(db)
    return seconds


def _analyze(db: Any) -> None:
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()


# The naive queries: the same numbers from the raw tables ----------------------------------

_REACHED = """
    SELECT r.id, r.referrer_id, j.department_id, j.id AS job_id, r.submitted_at, r.start_date,
           r.left_company_on,
           MAX(CASE WHEN e.to_stage IN ('screening','interviewing','offer','hired','probation_passed') THEN 1 ELSE 0 END) AS screened,
           MAX(CASE WHEN e.to_stage IN ('interviewing','offer','hired','probation_passed') THEN 1 ELSE 0 END) AS interviewed,
           MAX(CASE WHEN e.to_stage IN ('offer','hired','probation_passed') THEN 1 ELSE 0 END) AS offered,
           MAX(CASE WHEN e.to_stage = 'hired' THEN e.created_at END) AS hired_at,
           MAX(CASE WHEN e.to_stage = 'probation_passed' THEN 1 ELSE 0 END) AS passed
    FROM referrals r JOIN jobs j ON j.id = r.job_id JOIN referral_events e ON e.referral_id = r.id
    WHERE r.submitted_at >= :low AND r.submitted_at < :high
    GROUP BY r.id, r.referrer_id, j.department_id, j.id, r.submitted_at, r.start_date, r.left_company_on
"""  # fmt: skip


def naive(name: str, low: datetime, high: datetime) -> Any:
    from community.extensions import db

    params = {"low": low, "high": high}
    sums = "count(*), sum(screened), sum(interviewed), sum(offered), count(hired_at), sum(passed)"
    sql = {
        "funnel": f"SELECT {sums} FROM ({_REACHED}) x",
        "funnel by department": f"SELECT department_id, {sums} FROM ({_REACHED}) x GROUP BY department_id",
        "quality by job": f"SELECT job_id, count(*), sum(interviewed), count(hired_at) FROM ({_REACHED}) x GROUP BY job_id",
        "time in stage": "SELECT e.referral_id, e.to_stage, e.created_at FROM referral_events e JOIN referrals r ON r.id = e.referral_id WHERE r.submitted_at >= :low AND r.submitted_at < :high ORDER BY e.referral_id, e.id",
        "participation": "SELECT u.department_id, count(DISTINCT u.id), count(DISTINCT r.referrer_id) FROM users u LEFT JOIN referrals r ON r.referrer_id = u.id AND r.submitted_at >= :low AND r.submitted_at < :high WHERE u.role != 'hr' GROUP BY u.department_id",
        "points by month": "SELECT kind, sum(amount) FROM point_entries WHERE created_at >= :low AND created_at < :high GROUP BY kind",
        "retention": "SELECT r.start_date, r.left_company_on, e.created_at FROM referrals r JOIN referral_events e ON e.referral_id = r.id AND e.to_stage = 'hired' WHERE e.created_at >= :low AND e.created_at < :high",
    }[name]  # fmt: skip
    return db.session.execute(text(sql), params).all()


NAIVE = ("funnel", "funnel by department", "time in stage", "participation",
         "points by month", "quality by job", "retention")  # fmt: skip


def dashboard(f: Any, scope: Any) -> dict[str, Callable[[], Any]]:
    """Every query the dashboard page makes, by name."""
    from community.analytics.queries import (
        funnel,
        participation,
        quality,
        retention,
        rewards,
        timing,
    )
    from community.analytics.views.quality import PAGE_ROWS

    return {
        "funnel": lambda: funnel.funnel(f, scope),
        "funnel vs previous": lambda: funnel.compare(f, scope),
        "funnel by department": lambda: funnel.funnel_by(f, scope, "department"),
        "funnel by job": lambda: funnel.funnel_by(f, scope, "job"),
        "funnel by family": lambda: funnel.funnel_by(f, scope, "family"),
        "funnel by source": lambda: funnel.funnel_by(f, scope, "source"),
        "time in stage": lambda: timing.timing(f, scope),
        "first-review SLA": lambda: timing.sla(f, scope),
        "retention": lambda: retention.retention(f, scope),
        "participation": lambda: participation.participation(f, scope),
        "rewards (points by month)": lambda: rewards.rewards(f, scope),
        "challenge impact": lambda: rewards.challenge_impact(f, scope),
        # As the page asks (its first rows and the count; the CSV asks for every row).
        "quality by referrer": lambda: quality.by_referrer(f, scope, PAGE_ROWS),
        "quality by job": lambda: quality.by_job(f, scope, PAGE_ROWS),
    }


def measure(app: Any, samples: int, days: int) -> dict[str, list[float]]:
    from community.accounts.models import User
    from community.analytics.filters import Filters
    from community.analytics.queries.base import utc_bounds
    from community.analytics.scope import scope_for
    from community.extensions import db

    timings: dict[str, list[float]] = {}

    def timed(name: str, call: Callable[[], Any]) -> None:
        started = time.perf_counter()
        call()
        timings.setdefault(name, []).append(time.perf_counter() - started)

    with app.app_context(), app.test_request_context():
        end = NOW.date()
        f = Filters(start=end - timedelta(days=days - 1), end=end, period="custom")
        low, high = utc_bounds(f.start, f.end)
        scope = scope_for(db.session.get(User, 1), f)
        queries = dashboard(f, scope)
        for call in queries.values():  # warm up
            call()
        mine = queries["funnel"]()
        theirs = naive("funnel", low, high)[0]
        counts = [mine.count(k) for k in ("submitted", "screened", "interviewed", "offer")]
        counts += [mine.count("accepted"), mine.count("probation_passed")]
        same = counts == [int(n or 0) for n in theirs]
        timings["same funnel as the raw tables"] = [1.0 if same else 0.0]
        for _ in range(samples):
            started = time.perf_counter()
            for name, call in queries.items():
                timed(name, call)
            timings.setdefault("whole dashboard", []).append(time.perf_counter() - started)
            started = time.perf_counter()
            for name in NAIVE:
                timed(f"naive: {name}", lambda n=name: naive(n, low, high))
            timings.setdefault("naive: whole dashboard", []).append(time.perf_counter() - started)
            db.session.expire_all()
    return timings


def report(engine: str, load_seconds: dict[str, float], timings: dict[str, list[float]]) -> dict:
    out: dict[str, Any] = {"load_seconds": load_seconds, "timings": {}, "ratios": {}}
    print(f"\n== {engine} == " + ", ".join(f"{k} {v:.1f} s" for k, v in load_seconds.items()))
    print(f"{'query':30} {'p50 ms':>9} {'p95 ms':>9}")
    same = timings.pop("same funnel as the raw tables") == [1.0]
    out["same_funnel_as_raw"] = same
    print(f"the rollups' funnel equals the raw tables': {'yes' if same else 'NO'}")
    for name, values in timings.items():
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        out["timings"][name] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
        print(f"{name:30} {p50:9.2f} {p95:9.2f}")
    print(f"{'naive ÷ rollup':30} {'p50':>9} {'p95':>9}")
    for name in (*NAIVE, "whole dashboard"):
        mine = timings["rewards (points by month)" if name == "points by month" else name]
        theirs = timings[f"naive: {name}"]
        r50 = percentile(theirs, 0.5) / percentile(mine, 0.5)
        r95 = percentile(theirs, 0.95) / percentile(mine, 0.95)
        out["ratios"][name] = {"p50": round(r50, 1), "p95": round(r95, 1)}
        print(f"{name:30} {r50:8.1f}× {r95:8.1f}×")
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=20, help="rounds of every timing")
    parser.add_argument("--days", type=int, default=91, help="the period read (a quarter)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PG_URL", PG_URL))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="analytics-bench-"))
    redis_url, redis_process = start_redis(workdir)
    try:
        started = time.perf_counter()
        rows = build(args.referrals, args.entries)
        print(
            f"{len(rows['referrals']):,} referrals, {len(rows['referral_events']):,} events, "
            f"{len(rows['point_entries']):,} ledger entries built in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        result: dict[str, Any] = {
            "referrals": len(rows["referrals"]),
            "events": len(rows["referral_events"]),
            "entries": len(rows["point_entries"]),
            "samples": args.samples,
            "days": args.days,
            "engines": {},
        }
        for engine in args.engines.split(","):
            url = (
                f"sqlite:///{workdir / 'bench.sqlite'}"
                if engine == "sqlite"
                else _pg_url(args.database_url)
            )
            app = make_app(url, redis_url, workdir)
            load_seconds = load(app, rows)
            print(f"{engine}: loaded", flush=True)
            result["engines"][engine] = report(
                engine, load_seconds, measure(app, args.samples, args.days)
            )
            with app.app_context():
                from community.extensions import db

                db.session.remove()
                db.engine.dispose()
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return result
    finally:
        if redis_process:
            redis_process.terminate()
            redis_process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
