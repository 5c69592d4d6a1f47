"""Reading the search index: one page of posts for a query, ranked the same on both engines.

**Ranking.** The order is decided by plain SQL over the stored tokens, not by the engines'
own scores: bm25 (FTS5) weighs a word by its rarity in the whole forum, ts_rank_cd
(PostgreSQL) by how close together the words stand and without rarity, so the two would order
the same posts differently. Instead, on both engines:
1. how many of the terms looked for the post has (it differs only with OR),
2. how many of them are in its topic's title (the opening post of a topic about it first),
3. the newest post first: the higher id (ids grow with time).
On SQLite the titles' own FTS5 index answers 2, so the documents table is read only for an OR
query's count and for the page's posts; on PostgreSQL the candidates' rows are read anyway.
The index (FTS5 MATCH / tsvector @@ on its GIN index) finds the candidates.

**The newest MAX_RANKED.** A word in thousands of posts would have every one of them joined,
sorted and counted. So the candidates are the newest MAX_RANKED + 1 matches (by post id: ids
grow with time), and the newest MAX_RANKED of them are ranked; the count stops there too: "more
than 500 posts found, the newest 500 are ranked: add a word". FTS5 walks its list backwards and
stops; PostgreSQL's GIN bitmap has no order, so it looks among the newest posts first (see
`_newest_on_postgresql`). Pages stop there too (MAX_RANKED / PER_PAGE).

**One statement** finds, ranks, counts and reads the page's posts with what the results page
shows, checking each against the forum's rows again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy import Row, TextClause, text

from community.accounts.models import User
from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from community.search import highlight
from community.search.engines import compile_query
from community.search.query import Query, parse
from community.search.schema import FTS, TABLE

logger = logging.getLogger(__name__)
PER_PAGE = 20
# The newest matches that are ranked (25 pages of 20): a person refines rather than pages.
MAX_RANKED = 500


# A page's hits are named tuples: cheaper to make than frozen dataclasses, read alike.
class Category(NamedTuple):
    """A hit's category: what `localized(category, "name")` reads."""

    id: int
    name: str
    name_en: str | None


class Author(NamedTuple):
    """A hit's author: the name shown (`User.shown_name`)."""

    id: int
    shown_name: str


class Hit(NamedTuple):
    """One post found, as the results page shows it."""

    post_id: int
    topic_id: int
    number: int
    title: Markup  # the topic's title, highlighted
    snippet: Markup  # the post around its first match, highlighted
    category: Category
    author: Author
    created_at: datetime


@dataclass(frozen=True)
class Results:
    query: Query
    hits: list[Hit]
    total: int  # how many posts match, counted up to MAX_RANKED + 1 (see `capped`)
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.ranked // self.per_page))

    @property
    def capped(self) -> bool:
        """More matches than are ranked: the newest MAX_RANKED are (and `total` is one more)."""
        return self.total > MAX_RANKED

    @property
    def ranked(self) -> int:
        """How many matches are ranked: all of them, or the newest MAX_RANKED."""
        return min(self.total, MAX_RANKED)

    # What the house pager (`macros/lists.html`) reads, as on Flask-SQLAlchemy's Pagination.
    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, **edges: int) -> Iterator[int | None]:
        """Page numbers near the current one and at both ends, None for a gap."""
        left, right = edges.get("left_edge", 1), edges.get("right_edge", 1)
        before, after = edges.get("left_current", 2), edges.get("right_current", 2)
        last = 0
        for number in range(1, self.pages + 1):
            near = self.page - before <= number <= self.page + after
            if number <= left or number > self.pages - right or near:
                if last and number - last > 1:
                    yield None
                yield number
                last = number


def search(
    raw: str | None, *, category_id: int | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Results:
    """The posts that match `raw`, ranked (see above), one page of them highlighted, in one
    statement. Only posts in the index are found, and the index holds only visible posts; the
    page's posts are checked against the forum's rows again, so a post the index missed still
    never shows."""
    query = parse(raw)
    page = max(1, min(page, MAX_RANKED // per_page))
    if query.empty:
        return Results(query, [], 0, page, per_page)
    statement, params = _statement(query, category_id)
    rows = (
        db.session.connection()
        .execute(_text(statement), {**params, "limit": per_page, "offset": (page - 1) * per_page})
        .all()
    )
    return Results(query, _hits(query, rows), int(rows[0].found), page, per_page)


@lru_cache(maxsize=256)
def _text(statement: str) -> TextClause:
    """The statement as SQLAlchemy's construct, made once per shape of query (how many terms,
    a category or not…): its words are parameters, so every search of that shape reuses it."""
    return text(statement)


# What a candidate carries for the ranking: (how many terms, how many in the title, its id).
ORDER = "c.hits DESC, c.title_hits DESC, c.post_id DESC"


def _statement(query: Query, category_id: int | None) -> tuple[str, dict[str, object]]:
    """One statement for the page: the newest MAX_RANKED + 1 matches (`candidates`, each with
    what ranks it), how many there are (`found`, at most MAX_RANKED + 1: "more than
    MAX_RANKED" is all a person needs to read), and the page's posts with what the results
    page shows. Always at least one row: `found`, with the post's columns NULL past the last
    page."""
    dialect = db.engine.dialect.name
    compiled = compile_query(query, dialect)
    where = [compiled.match, *compiled.filters]
    if category_id is not None:
        where.append("d.category_id = :category_id")
        compiled.params["category_id"] = category_id
    # (An ORDER BY of a bare number would name a column: the ranks are named columns here.)
    ranks = f"{compiled.hits or 0} AS hits, {compiled.title_hits or 0} AS title_hits"
    if dialect == "sqlite":
        candidates = _newest_on_sqlite(where, ranks, read_rows=compiled.hits is not None)
    else:
        candidates = _newest_on_postgresql(
            " AND ".join(where), ranks, compiled.params, MAX_RANKED + 1
        )
    statement = (
        f"WITH candidates AS ({candidates}), "
        # the newest MAX_RANKED: all but the oldest when there is one more (not a second sort)
        f"ranked AS (SELECT * FROM candidates WHERE (SELECT count(*) FROM candidates) <= "
        f"{MAX_RANKED} OR post_id > (SELECT min(post_id) FROM candidates)), "
        f"page AS (SELECT * FROM ranked c ORDER BY {ORDER} LIMIT :limit OFFSET :offset) "
        "SELECT f.found, c.post_id, d.body, p.number, p.created_at AS posted_at, "
        "t.id AS topic_id, t.title, k.id AS category_id, k.name AS category_name, "
        "k.name_en AS category_name_en, u.id AS author_id, u.display_name, u.name AS author_name "
        "FROM (SELECT count(*) AS found FROM candidates) f "
        "LEFT JOIN page c ON 1 = 1 "
        f"LEFT JOIN {TABLE} d ON d.post_id = c.post_id "
        f"LEFT JOIN {ForumPost.__tablename__} p ON p.id = c.post_id "
        "AND p.deleted_at IS NULL AND p.hidden_at IS NULL "
        f"LEFT JOIN {ForumTopic.__tablename__} t ON t.id = p.topic_id "
        "AND t.deleted_at IS NULL AND t.hidden_at IS NULL "
        f"LEFT JOIN {ForumCategory.__tablename__} k ON k.id = t.category_id "
        f"LEFT JOIN {User.__tablename__} u ON u.id = p.author_id "
        f"ORDER BY {ORDER}"
    )
    return statement, compiled.params


def _newest_on_sqlite(where: list[str], ranks: str, *, read_rows: bool) -> str:
    """The FTS table gives its matches in rowid order, the negated post id (schema.py):
    newest first, it stops after the MAX_RANKED + 1 wanted. The documents table is joined in
    the walk only when it filters too (a category, a phrase), and to the candidates only when
    the ranks read it (an OR query's count of terms)."""
    wanted = MAX_RANKED + 1
    rowid = f"{FTS}.rowid"
    if len(where) == 1:
        newest = f"SELECT -{rowid} AS post_id FROM {FTS} WHERE {where[0]}"
    else:
        newest = (
            f"SELECT -{rowid} AS post_id FROM {FTS} JOIN {TABLE} d ON d.post_id = -{rowid} "
            f"WHERE {' AND '.join(where)}"
        )
    newest += f" ORDER BY {rowid} LIMIT {wanted}"
    joined = f" JOIN {TABLE} d ON d.post_id = n.post_id" if read_rows else ""
    return f"SELECT n.post_id, {ranks} FROM ({newest}) n{joined}"


# PostgreSQL: the newest matches without visiting all of them ---------------------------------
#
# A GIN index answers "which rows match" as a bitmap with no order, so "the newest 501" from it
# alone fetches every matching row to sort them: 6,600 rows for a common word, each on its own
# page. Instead the search looks among the newest posts first, in a range of ids sized from the
# planner's estimate of how many posts match (its statistics of the tsvector's words are close),
# and only if that range held too few, in the rest: one statement, whose second half
# PostgreSQL never runs when the first was enough. Within the range, a word in many posts is
# found fastest by walking the key backwards until enough matched; a rarer one by ANDing the
# GIN bitmap with the key's range (`post_id + 0` orders by something the key cannot give, so
# PostgreSQL does not walk it past thousands of posts that do not match).
WIDER = 1.5  # the range is sized for this many times the matches wanted (an estimate is off)
DENSE = 0.05  # from this share of posts matching, the key is walked backwards


def _newest_on_postgresql(where: str, ranks: str, params: dict[str, object], wanted: int) -> str:
    columns = f"d.post_id, {ranks}"
    matching, posts = _estimate(where, params)
    if matching <= wanted * WIDER or posts <= 0:  # few: the bitmap, then the sort, is fastest
        return (
            f"SELECT {columns} FROM {TABLE} d WHERE {where} ORDER BY d.post_id DESC LIMIT {wanted}"
        )
    params["share"] = wanted * WIDER / matching
    # The newest `share` of the ids, read from the primary key in the statement itself.
    floor = (
        f"(SELECT max(post_id) - CAST(ceil((max(post_id) - min(post_id) + 1) * :share) AS integer) "
        f"FROM {TABLE})"
    )
    newer = f"SELECT {columns} FROM {TABLE} d WHERE {where} AND d.post_id > {floor}"
    older = f"SELECT {columns} FROM {TABLE} d WHERE {where} AND d.post_id <= {floor}"
    walk = "d.post_id" if matching / posts >= DENSE else "d.post_id + 0"
    return (
        f"SELECT * FROM (({newer} ORDER BY {walk} DESC LIMIT {wanted}) UNION ALL "
        f"({older} ORDER BY d.post_id DESC LIMIT {wanted})) n LIMIT {wanted}"
    )


def _estimate(where: str, params: dict[str, object]) -> tuple[float, float]:
    """The planner's estimates of how many posts match `where` and how many are indexed, in
    one round trip. Only the speed of a search depends on them, never the posts it finds."""
    plan = db.session.execute(
        text(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} d WHERE {where} "
            f"UNION ALL SELECT 1 FROM {TABLE} d"
        ),
        params,
    ).scalar_one()
    try:
        matching, posts = (float(part["Plan Rows"]) for part in plan[0]["Plan"]["Plans"])
    except (KeyError, IndexError, TypeError, ValueError):  # a plan of another shape
        logger.warning("search: no estimate in the plan %r; every match is read", plan)
        return 0.0, 0.0
    return matching, posts


def _hits(query: Query, rows: Sequence[Row[Any]]) -> list[Hit]:
    """The page's rows as hits, highlighted with the query's expression compiled once per
    process; a post the index holds but the forum no longer shows is left out (and logged)."""
    marks = highlight.Highlighter(query)
    hits, missing = [], []
    for row in rows:
        (_, post_id, body, number, posted_at, topic_id, title, *category, author_id) = row[:11]
        if post_id is None:  # past the last page: the count alone
            continue
        if topic_id is None or body is None:  # only when a write went round the services
            missing.append(post_id)
            continue
        hits.append(
            Hit(
                post_id=post_id,
                topic_id=topic_id,
                number=number,
                title=marks.marked(title),
                snippet=marks.snippet(body),
                category=Category(*category),
                author=Author(author_id, row[11] or row[12]),
                created_at=_datetime(posted_at),
            )
        )
    if missing:
        logger.warning(
            "search index out of step: posts %s are found but not visible (or have no document); "
            "run `flask search reindex`",
            sorted(missing),
        )
    return hits


def _datetime(value: datetime | str) -> datetime:
    """A time read through `text()`: SQLite gives it back as the text it stores."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
