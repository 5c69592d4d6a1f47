"""Reading the search index: one page of posts for a query, ranked the same on both engines.

**Ranking.** The order is decided by plain SQL over the stored tokens, not by the engines'
own scores: bm25 (FTS5) weighs a word by its rarity in the whole forum, ts_rank_cd
(PostgreSQL) by how close together the words stand and without rarity, so the two would order
the same posts differently. Instead, on both engines:
1. how many of the terms looked for the post has (it differs only with OR),
2. how many of them are in its topic's title (the opening post of a topic about it first),
3. the newest post first (then the higher id).
These read only the documents table: it carries each post's category and time.
The index (FTS5 MATCH / tsvector @@ on its GIN index) only finds the candidates.

**The newest MAX_RANKED.** A word in thousands of posts would have every one of them joined and
sorted. So the candidates are the newest MAX_RANKED matches (by post id: ids grow with time),
read from the index in id order (FTS5 walks its list backwards and stops), and only those are
ranked; the count is still exact (on SQLite from the index alone when nothing but the index
filters; on PostgreSQL in the same pass that finds the candidates, which visits every match).
Pages stop there too (MAX_RANKED / PER_PAGE).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select, text

from community.accounts.models import User
from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from community.search import highlight
from community.search.engines import compile_query
from community.search.models import SearchDocument
from community.search.query import Query, parse
from community.search.schema import FTS

logger = logging.getLogger(__name__)
PER_PAGE = 20
MAX_RANKED = 1000  # the newest matches that are ranked; a person refines rather than pages
MAX_PAGE = MAX_RANKED // PER_PAGE


@dataclass(frozen=True)
class Category:
    """A hit's category: what `localized(category, "name")` reads."""

    id: int
    name: str
    name_en: str | None


@dataclass(frozen=True)
class Author:
    """A hit's author: the name shown (`User.shown_name`)."""

    id: int
    shown_name: str


@dataclass(frozen=True)
class Hit:
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
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_RANKED) // self.per_page))

    @property
    def capped(self) -> bool:
        """More matches than are ranked: the newest MAX_RANKED are."""
        return self.total > MAX_RANKED

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
    """The posts that match `raw`, ranked (see above), one page of them highlighted. Only
    posts in the index are found, and the index holds only visible posts; the page's posts are
    checked against the forum's rows again, so a post the index missed still never shows."""
    query = parse(raw)
    page = max(1, min(page, MAX_RANKED // per_page))
    if query.empty:
        return Results(query, [], 0, page, per_page)
    compiled = _compiled(query, category_id)
    ranked, found = _ranked(compiled, limit=per_page, offset=(page - 1) * per_page)
    exact = ranked and (compiled.counted or found < MAX_RANKED)
    total = found if exact else _count(compiled)
    return Results(query, _hits(query, ranked), total, page, per_page)


@dataclass
class _Compiled:
    candidates: str  # the newest MAX_RANKED matching post ids
    order: str
    count: str
    params: dict[str, object]
    # What `_ranked` reports beside the page: on PostgreSQL every match (the candidates carry
    # it, counted in the same pass), on SQLite the candidates (`_count` asks the index alone).
    total: str
    counted: bool


def _compiled(query: Query, category_id: int | None) -> _Compiled:
    """The statements for `query`. They read the index and the documents table alone: a
    document carries its topic's category and its post's time, and holds visible posts only
    (`_hits` checks the page's posts against the forum's rows again)."""
    dialect = db.engine.dialect.name
    compiled = compile_query(query, dialect)
    where = [compiled.match, *compiled.filters]
    if category_id is not None:
        where.append("d.category_id = :category_id")
        compiled.params["category_id"] = category_id
    if dialect == "sqlite":
        # The FTS table gives its matches in rowid (post id) order: walked backwards, it stops
        # after MAX_RANKED; the documents table is joined only when something else filters.
        only_index = len(where) == 1
        source = (
            FTS if only_index else f"{FTS} JOIN forum_search_documents d ON d.post_id = {FTS}.rowid"
        )
        newest = f"{FTS}.rowid"
        candidates = f"SELECT {newest} AS post_id FROM {source} WHERE {' AND '.join(where)}"
        total, counted = "(SELECT count(*) FROM candidates)", False
    else:
        # A GIN bitmap has no order: finding the newest MAX_RANKED visits every matching row
        # anyway, so they are counted in that pass (a second count(*) visited them all again).
        source = "forum_search_documents d"
        newest = "d.post_id"
        where_sql = " AND ".join(where)
        candidates = (
            f"SELECT d.post_id, count(*) OVER () AS matches FROM {source} WHERE {where_sql}"
        )
        total, counted = "c.matches", True
    count = f"SELECT count(*) FROM {source} WHERE {' AND '.join(where)}"
    # (An ORDER BY of a bare number would name a column: only expressions go in.)
    ranks = [f"{rank} DESC" for rank in (compiled.hits, compiled.title_hits) if rank]
    order = ", ".join([*ranks, "d.created_at DESC", "d.post_id DESC"])
    return _Compiled(
        f"{candidates} ORDER BY {newest} DESC LIMIT {MAX_RANKED}",
        order,
        count,
        compiled.params,
        total,
        counted,
    )


def _ranked(compiled: _Compiled, *, limit: int, offset: int) -> tuple[list[int], int]:
    """One page of post ids, best first, and `compiled.total`: how many posts match (on
    PostgreSQL) or how many candidates were ranked (≤ MAX_RANKED, on SQLite). Not a window
    over the joined rows: SQLite then sorted every candidate twice (5 ms of a 10 ms search)."""
    statement = text(
        f"WITH candidates AS ({compiled.candidates}) "
        f"SELECT d.post_id, {compiled.total} FROM candidates c "
        "JOIN forum_search_documents d ON d.post_id = c.post_id "
        f"ORDER BY {compiled.order} LIMIT :limit OFFSET :offset"
    )
    rows = db.session.execute(
        statement, {**compiled.params, "limit": limit, "offset": offset}
    ).all()
    return [int(row[0]) for row in rows], (int(rows[0][1]) if rows else 0)


def _count(compiled: _Compiled) -> int:
    """How many posts match, exactly."""
    return int(db.session.execute(text(compiled.count), compiled.params).scalar_one())


def count(query: Query, *, category_id: int | None = None) -> int:
    """How many posts match `query`."""
    return 0 if query.empty else _count(_compiled(query, category_id))


def _hits(query: Query, post_ids: list[int]) -> list[Hit]:
    """The page's posts as shown, in one Core statement of just the columns the page needs
    (not the index's long token texts, no ORM objects: loading those cost more than finding
    the posts), highlighted with the query's expression compiled once per process."""
    if not post_ids:
        return []
    rows = db.session.execute(
        select(
            SearchDocument.post_id,
            SearchDocument.body,
            ForumPost.number,
            ForumPost.created_at,
            ForumTopic.id,
            ForumTopic.title,
            ForumCategory.id,
            ForumCategory.name,
            ForumCategory.name_en,
            User.id,
            User.display_name,
            User.name,
        )
        .join(ForumPost, ForumPost.id == SearchDocument.post_id)
        .join(ForumTopic, ForumTopic.id == SearchDocument.topic_id)
        .join(ForumCategory, ForumCategory.id == ForumTopic.category_id)
        .join(User, User.id == ForumPost.author_id)
        .where(
            SearchDocument.post_id.in_(post_ids),
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
            ForumTopic.deleted_at.is_(None),
            ForumTopic.hidden_at.is_(None),
        )
    ).all()
    by_id = {row[0]: row for row in rows}
    if len(by_id) < len(post_ids):  # only when a write went round the forum's services
        logger.warning(
            "search index out of step: posts %s are indexed but not visible; run `flask search "
            "reindex`",
            sorted(set(post_ids) - set(by_id)),
        )
    marks = highlight.Highlighter(query)
    hits = []
    for post_id in post_ids:
        row = by_id.get(post_id)
        if row is None:
            continue
        (_, body, number, created_at, topic_id, title, category_id, name, name_en) = row[:9]
        author_id, display_name, author_name = row[9:]
        hits.append(
            Hit(
                post_id=post_id,
                topic_id=topic_id,
                number=number,
                title=marks.marked(title),
                snippet=marks.snippet(body),
                category=Category(category_id, name, name_en),
                author=Author(author_id, display_name or author_name),
                created_at=created_at,
            )
        )
    return hits
