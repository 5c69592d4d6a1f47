"""Reading the search index: one page of posts for a query, ranked the same on both engines.

**Ranking.** The order is decided by plain SQL over the stored tokens, not by the engines'
own scores: bm25 (FTS5) weighs a word by its rarity in the whole forum, ts_rank_cd
(PostgreSQL) by how close together the words stand and without rarity, so the two would order
the same posts differently. Instead, on both engines:
1. how many of the terms looked for the post has (it differs only with OR),
2. how many of them are in its topic's title (the opening post of a topic about it first),
3. the newest post first (then the higher id).
The index (FTS5 MATCH / tsvector @@ on its GIN index) only finds the candidates.
"""

from __future__ import annotations

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

PER_PAGE = 20
MAX_PAGE = 50  # deeper pages are refined queries, not paging (bounds OFFSET)


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
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

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
    posts in the index are found, and the index holds only visible posts; the visibility is
    checked again here, so a post the index missed still never shows."""
    query = parse(raw)
    page = max(1, min(page, MAX_PAGE))
    if query.empty:
        return Results(query, [], 0, page, per_page)
    ranked = matching_ids(
        query, category_id=category_id, limit=per_page, offset=(page - 1) * per_page
    )
    total = ranked[0][1] if ranked else (count(query, category_id=category_id) if page > 1 else 0)
    return Results(query, _hits(query, [post_id for post_id, _ in ranked]), total, page, per_page)


def _sql(query: Query, category_id: int | None) -> tuple[str, str, str, dict[str, object]]:
    compiled = compile_query(query, db.engine.dialect.name)
    where = [
        compiled.match,
        *compiled.filters,
        "p.deleted_at IS NULL",
        "p.hidden_at IS NULL",
        "t.deleted_at IS NULL",
        "t.hidden_at IS NULL",
    ]
    if category_id is not None:
        where.append("t.category_id = :category_id")
        compiled.params["category_id"] = category_id
    source = (
        f"{compiled.source} JOIN forum_posts p ON p.id = d.post_id "
        "JOIN forum_topics t ON t.id = d.topic_id"
    )
    # (An ORDER BY of a bare number would name a column: only expressions go in.)
    ranks = [f"{rank} DESC" for rank in (compiled.hits, compiled.title_hits) if rank]
    order = ", ".join([*ranks, "p.created_at DESC", "p.id DESC"])
    return source, " AND ".join(where), order, compiled.params


def matching_ids(
    query: Query, *, category_id: int | None = None, limit: int = PER_PAGE, offset: int = 0
) -> list[tuple[int, int]]:
    """(post id, total matches) for one page, best first: the ranking in one statement."""
    source, where, order, params = _sql(query, category_id)
    statement = text(
        f"SELECT d.post_id, count(*) OVER () FROM {source} WHERE {where} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    rows = db.session.execute(statement, {**params, "limit": limit, "offset": offset})
    return [(int(post_id), int(total)) for post_id, total in rows]


def count(query: Query, *, category_id: int | None = None) -> int:
    """How many posts match (for a page past the last)."""
    if query.empty:
        return 0
    source, where, _, params = _sql(query, category_id)
    return int(
        db.session.execute(
            text(f"SELECT count(*) FROM {source} WHERE {where}"), params
        ).scalar_one()
    )


def _hits(query: Query, post_ids: list[int]) -> list[Hit]:
    if not post_ids:
        return []
    rows = db.session.execute(
        select(SearchDocument, ForumPost, ForumTopic, ForumCategory, User)
        .join(ForumPost, ForumPost.id == SearchDocument.post_id)
        .join(ForumTopic, ForumTopic.id == SearchDocument.topic_id)
        .join(ForumCategory, ForumCategory.id == ForumTopic.category_id)
        .join(User, User.id == ForumPost.author_id)
        .where(SearchDocument.post_id.in_(post_ids))
    ).all()
    by_id = {row[0].post_id: row for row in rows}
    hits = []
    for post_id in post_ids:
        if post_id not in by_id:
            continue
        document, post, topic, category, author = by_id[post_id]
        hits.append(
            Hit(
                post_id=post.id,
                topic_id=topic.id,
                number=post.number,
                title=highlight.marked(topic.title, query),
                snippet=highlight.snippet(document.body, query),
                category=category,
                author=author,
                created_at=post.created_at,
            )
        )
    return hits
