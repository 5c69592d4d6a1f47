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
ranked; the count is still exact (from the index alone when nothing but the index filters).
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
class Hit:
    """One post found, as the results page shows it."""

    post_id: int
    topic_id: int
    number: int
    title: Markup  # the topic's title, highlighted
    snippet: Markup  # the post around its first match, highlighted
    category: ForumCategory
    author: User
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
    ranked, candidates = _ranked(compiled, limit=per_page, offset=(page - 1) * per_page)
    total = candidates if ranked and candidates < MAX_RANKED else _count(compiled)
    return Results(query, _hits(query, ranked), total, page, per_page)


@dataclass
class _Compiled:
    candidates: str  # the newest MAX_RANKED matching post ids
    order: str
    count: str
    params: dict[str, object]


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
    else:
        source = "forum_search_documents d"
        newest = "d.post_id"
        candidates = f"SELECT d.post_id FROM {source} WHERE {' AND '.join(where)}"
    count = f"SELECT count(*) FROM {source} WHERE {' AND '.join(where)}"
    # (An ORDER BY of a bare number would name a column: only expressions go in.)
    ranks = [f"{rank} DESC" for rank in (compiled.hits, compiled.title_hits) if rank]
    order = ", ".join([*ranks, "d.created_at DESC", "d.post_id DESC"])
    return _Compiled(
        f"{candidates} ORDER BY {newest} DESC LIMIT {MAX_RANKED}", order, count, compiled.params
    )


def _ranked(compiled: _Compiled, *, limit: int, offset: int) -> tuple[list[int], int]:
    """One page of post ids, best first, and how many candidates were ranked (≤ MAX_RANKED)."""
    statement = text(
        f"WITH candidates AS ({compiled.candidates}) "
        "SELECT d.post_id, count(*) OVER () FROM candidates c "
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
    """The page's posts as shown: plain columns (not the index's long token texts), their
    categories and authors as objects for the templates, highlighted once per query."""
    if not post_ids:
        return []
    rows = db.session.execute(
        select(
            SearchDocument.post_id,
            SearchDocument.body,
            ForumPost.number,
            ForumPost.created_at,
            ForumPost.author_id,
            ForumTopic.id,
            ForumTopic.title,
            ForumTopic.category_id,
        )
        .join(ForumPost, ForumPost.id == SearchDocument.post_id)
        .join(ForumTopic, ForumTopic.id == SearchDocument.topic_id)
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
    categories = {
        c.id: c
        for c in db.session.scalars(
            select(ForumCategory).where(ForumCategory.id.in_({row[7] for row in rows}))
        )
    }
    authors = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({row[4] for row in rows})))
    }
    marks = highlight.Highlighter(query)
    hits = []
    for post_id in post_ids:
        if post_id not in by_id:
            continue
        _, body, number, created_at, author_id, topic_id, title, category_id = by_id[post_id]
        hits.append(
            Hit(
                post_id=post_id,
                topic_id=topic_id,
                number=number,
                title=marks.marked(title),
                snippet=marks.snippet(body),
                category=categories[category_id],
                author=authors[author_id],
                created_at=created_at,
            )
        )
    return hits
