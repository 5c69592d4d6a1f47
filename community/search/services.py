"""Every write to the search index: the forum's posts, made plain and segmented, kept in step
inside the forum's own transaction (`listeners.py`), and rebuilt whole by `flask search
reindex`. Nothing here commits except `rebuild`, which is its own transaction."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import text as sql

from community.core.time import to_local, utcnow
from community.extensions import db
from community.forum.models import ForumPost, ForumTopic
from community.search import schema, text
from community.search.models import SearchDocument

logger = logging.getLogger(__name__)
BATCH = 500  # posts read per query (and ids per IN list)
FIELDS = (
    "topic_id",
    "category_id",
    "created_at",
    "title",
    "body",
    "terms",
    "title_terms",
    "compact",
)


@dataclass(frozen=True)
class Entry:
    """What the index holds for one visible post."""

    post_id: int
    topic_id: int
    category_id: int
    created_at: datetime
    title: str
    body: str
    terms: str
    title_terms: str
    compact: str

    def values(self) -> dict[str, object]:
        return {"post_id": self.post_id, **{name: getattr(self, name) for name in FIELDS}}


def is_visible(post: ForumPost, topic: ForumTopic) -> bool:
    """Searchable exactly when anyone may read it: neither the post nor its topic is deleted
    or hidden (not even its author finds a hidden post through search)."""
    return (
        post.deleted_at is None
        and post.hidden_at is None
        and topic.deleted_at is None
        and topic.hidden_at is None
    )


def entry_for(
    post_id: int,
    number: int,
    markdown: str,
    created_at: datetime,
    topic_id: int,
    topic_title: str,
    category_id: int,
) -> Entry:
    """A post as the index holds it: the topic's title on the opening post, the body as plain
    text, both segmented."""
    title = topic_title if number == 1 else ""
    body = text.plain_text(markdown)
    title_tokens = text.index_tokens(title)
    return Entry(
        post_id=post_id,
        topic_id=topic_id,
        category_id=category_id,
        created_at=created_at,
        title=title,
        body=body,
        terms=text.joined(title_tokens + text.index_tokens(body)),
        title_terms=text.joined(title_tokens),
        # A newline between them: no phrase (letters, digits, spaces) spans title and body.
        compact=text.compact(title) + "\n" + text.compact(body),
    )


def index_posts(post_ids: Iterable[int]) -> int:
    """Bring the index in step with these posts in the caller's transaction: a visible post is
    (re)written, any other (deleted, hidden, in a deleted or hidden topic, gone) is removed.
    Returns how many index rows changed. Never commits."""
    changed = 0
    ids = sorted(set(post_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        stored = {
            document.post_id: document
            for document in db.session.scalars(
                select(SearchDocument).where(SearchDocument.post_id.in_(batch))
            )
        }
        rows = db.session.execute(
            select(ForumPost, ForumTopic)
            .join(ForumTopic, ForumTopic.id == ForumPost.topic_id)
            .where(ForumPost.id.in_(batch))
        ).all()
        for post, topic in rows:
            document = stored.pop(post.id, None)
            if not is_visible(post, topic):
                if document is not None:
                    db.session.delete(document)
                    changed += 1
                continue
            entry = entry_for(
                post.id,
                post.number,
                post.body,
                post.created_at,
                topic.id,
                topic.title,
                topic.category_id,
            )
            if document is None:
                db.session.add(SearchDocument(**entry.values(), indexed_at=utcnow()))
                changed += 1
            elif any(getattr(document, name) != getattr(entry, name) for name in FIELDS):
                for name in FIELDS:
                    setattr(document, name, getattr(entry, name))
                document.indexed_at = utcnow()
                changed += 1
        for document in stored.values():  # the post itself is gone
            db.session.delete(document)
            changed += 1
    if changed:
        db.session.flush()  # the engine's index follows the rows (triggers, generated column)
    return changed


def expected_entries() -> Iterator[Entry]:
    """What the index should hold, computed from the posts themselves, in post order."""
    last = 0
    while True:
        rows = db.session.execute(
            select(
                ForumPost.id,
                ForumPost.number,
                ForumPost.body,
                ForumPost.created_at,
                ForumTopic.id,
                ForumTopic.title,
                ForumTopic.category_id,
            )
            .join(ForumTopic, ForumTopic.id == ForumPost.topic_id)
            .where(
                ForumPost.id > last,
                ForumPost.deleted_at.is_(None),
                ForumPost.hidden_at.is_(None),
                ForumTopic.deleted_at.is_(None),
                ForumTopic.hidden_at.is_(None),
            )
            .order_by(ForumPost.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            yield entry_for(*row)
        last = rows[-1][0]


def rebuild() -> int:
    """Rebuild the whole index from the posts (`flask search reindex`), in one transaction:
    searches see the old index until it commits. Returns how many posts are indexed."""
    count = 0
    try:
        db.session.execute(delete(SearchDocument))
        _empty_engine_index()
        batch: list[dict[str, object]] = []
        now = utcnow()
        for entry in expected_entries():
            batch.append({**entry.values(), "indexed_at": now})
            if len(batch) >= BATCH:
                db.session.execute(insert(SearchDocument), batch)
                count += len(batch)
                batch = []
        if batch:
            db.session.execute(insert(SearchDocument), batch)
            count += len(batch)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    tidy_index(above=1)
    db.session.commit()
    logger.info("search index rebuilt: %s posts", count)
    return count


def _empty_engine_index() -> None:
    """SQLite: empty both FTS5 tables whatever they hold. They are contentless, so the delete
    triggers remove what each row's text says was indexed; an entry indexed from other text
    (a write while the triggers were missing) would survive a rebuild without this."""
    if db.engine.dialect.name == "sqlite":
        for table in (schema.FTS, schema.TITLES):
            db.session.execute(sql(f"INSERT INTO {table}({table}) VALUES ('delete-all')"))


TIDY_HOUR = 3  # the hour, in the company's zone, in which the worker tidies the index
# More segments than this are merged: after a tidy, the night's few writes (a segment each,
# which FTS5 merges four at a time) never make the duty rewrite the whole index again.
TIDY_ABOVE = 4


def tidy_index(above: int = TIDY_ABOVE) -> int:
    """SQLite: merge each FTS5 table that has more than `above` segments into one
    ('optimize'). Every write adds a segment and FTS5 merges them only level by level (15
    segments after a bulk load of 100k posts), so a search looks each word up in every one of
    them; from one segment it reads each list at once (docs/performance.md). About a second
    of lock at 100k posts (readers wait too: the database is not in WAL mode).
    PostgreSQL: nothing (its GIN index merges its pending list itself). Returns how many
    tables were merged."""
    if db.engine.dialect.name != "sqlite":
        return 0
    merged = 0
    for table in (schema.FTS, schema.TITLES):
        segments = db.session.execute(sql(f"SELECT count(DISTINCT segid) FROM {table}_idx"))
        if segments.scalar_one() > above:
            db.session.execute(sql(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
            merged += 1
    return merged


def tidy_duty(now: datetime) -> int:
    """The worker's duty: the index is tidied in the company's quiet hour (TIDY_HOUR), when a
    second's lock is felt by nobody. Once merged there is nothing to do, so every tick of that
    hour may run it; a night the worker missed is tidied the next."""
    if to_local(now).hour != TIDY_HOUR:
        return 0
    return tidy_index()


def differences(limit: int = 20) -> list[str]:
    """How the index differs from what the posts say it should be (empty when in step): the
    check behind `flask search check`, and the test that incremental indexing equals a rebuild."""
    stored = {
        row.post_id: row
        for row in db.session.execute(
            select(SearchDocument.post_id, *(getattr(SearchDocument, n) for n in FIELDS))
        )
    }
    found = _engine_index_differences(stored.values(), limit)
    for entry in expected_entries():
        row = stored.pop(entry.post_id, None)
        if row is None:
            found.append(f"post {entry.post_id}: missing from the index")
        else:
            wrong = [name for name in FIELDS if getattr(row, name) != getattr(entry, name)]
            if wrong:
                found.append(f"post {entry.post_id}: {', '.join(wrong)} out of date")
        if len(found) >= limit:
            return found
    found.extend(f"post {post_id}: in the index but not visible" for post_id in sorted(stored))
    return found[:limit]


def _engine_index_differences(rows: Iterable[Any], limit: int) -> list[str]:
    """SQLite: whether each FTS5 table finds each word in as many posts as the documents'
    rows have it (read from the index itself through an `fts5vocab` table). An entry indexed
    from other text than the row's, which no trigger would ever remove, shows here.
    PostgreSQL computes its tsvector column itself: nothing to compare."""
    if db.engine.dialect.name != "sqlite":
        return []
    found: list[str] = []
    for table, column in ((schema.FTS, "terms"), (schema.TITLES, "title_terms")):
        expected: Counter[str] = Counter()
        for row in rows:
            expected.update(set(getattr(row, column).split()))
        vocabulary = f"temp.{table}_check"
        db.session.execute(
            sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary} USING fts5vocab(main, {table}, row)"
            )
        )
        listed = db.session.execute(sql(f"SELECT term, doc FROM {vocabulary}"))
        indexed: dict[str, int] = {term: posts for term, posts in listed}
        for word in sorted(expected.keys() | indexed.keys()):
            if expected[word] != indexed.get(word, 0):
                found.append(
                    f"{table}: '{word}' indexed in {indexed.get(word, 0)} posts, "
                    f"in {expected[word]} by their text"
                )
                if len(found) >= limit:
                    return found
    return found
