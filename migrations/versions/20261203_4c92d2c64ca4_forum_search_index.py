"""The forum's search index: a row per visible post with its segmented tokens, and the
engine's own index over them (an FTS5 table kept by triggers on SQLite; a generated tsvector
column with a GIN index on PostgreSQL). The statements are those of community/search/schema.py,
written out so that this migration never changes when that module does.

A later batch migration of `forum_search_documents` on SQLite recreates the table and so drops
its triggers: it must create them again (and `flask search reindex`).

Revision ID: 4c92d2c64ca4
Revises: dbcc9180bd1a
Create Date: 2026-12-03 13:19:52.235370

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4c92d2c64ca4"
down_revision = "dbcc9180bd1a"
branch_labels = None
depends_on = None

SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS forum_search_fts USING fts5(terms, "
    "content='forum_search_documents', content_rowid='post_id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    "CREATE TRIGGER IF NOT EXISTS forum_search_fts_insert AFTER INSERT ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
    "CREATE TRIGGER IF NOT EXISTS forum_search_fts_delete AFTER DELETE ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(forum_search_fts, rowid, terms) "
    "VALUES ('delete', old.post_id, old.terms); END",
    "CREATE TRIGGER IF NOT EXISTS forum_search_fts_update AFTER UPDATE ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(forum_search_fts, rowid, terms) "
    "VALUES ('delete', old.post_id, old.terms); "
    "INSERT INTO forum_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
)
POSTGRESQL = (
    "ALTER TABLE forum_search_documents ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_forum_search_documents_vector ON forum_search_documents "
    "USING gin (search_vector)",
)


def upgrade():
    op.create_table(
        "forum_search_documents",
        sa.Column("post_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("compact", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["forum_categories.id"],
            name=op.f("fk_forum_search_documents_category_id_forum_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_search_documents_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["forum_topics.id"],
            name=op.f("fk_forum_search_documents_topic_id_forum_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_forum_search_documents")),
    )
    with op.batch_alter_table("forum_search_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_search_documents_topic_id"), ["topic_id"], unique=False
        )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, ()):
        op.execute(statement)
    # Posts written before this revision (none yet when it was written): `flask search reindex`.


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS forum_search_fts")  # its triggers go with the table
    with op.batch_alter_table("forum_search_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_search_documents_topic_id"))
    op.drop_table("forum_search_documents")
