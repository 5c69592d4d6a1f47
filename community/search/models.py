"""The search index of the club forum: one row per visible post, written only by
`search.services` (in the forum's own transaction), read by `search.queries`.

The row keeps the post's plain text (for snippets) and its segmented tokens (`terms`). Each
engine indexes `terms` in its own way, kept in step by the database itself (`schema.py`):
SQLite an FTS5 table filled by triggers, PostgreSQL a generated `tsvector` column with a GIN
index. Neither structure is a model: `schema.py` creates them beside this table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.time import utcnow
from community.extensions import db


class SearchDocument(db.Model):
    """A visible post as search finds it. Its absence means the post is not shown."""

    __tablename__ = "forum_search_documents"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("forum_topics.id", ondelete="CASCADE"), index=True
    )
    # The topic's category and the post's time, copied (the forum re-publishes a moved topic's
    # posts): filtering and ranking then read this table alone.
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    # Small columns first: SQLite reads a row up to the column it needs, and ranking reads
    # `title_terms` for every candidate, the long texts only for the page shown.
    title_terms: Mapped[str] = mapped_column(Text, default=" ")  # tokens of the title alone
    title: Mapped[str] = mapped_column(Text, default="")  # the topic's, on its opening post only
    terms: Mapped[str] = mapped_column(Text, default=" ")  # tokens of title and body, " a b "
    compact: Mapped[str] = mapped_column(Text, default="")  # title and body for phrases
    body: Mapped[str] = mapped_column(Text, default="")  # the post as plain text
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


# The engine's own index is created (and dropped) with the table: see schema.py.
from community.search import schema  # noqa: E402, F401
