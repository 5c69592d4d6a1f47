"""The forum's search index on SQLite, rebuilt for newest-first reading: the FTS5 table over
`terms` becomes contentless with the post's id negated as its rowid (FTS5 walks its lists
forwards faster than backwards), and a second one over `title_terms` ranks opening posts whose
title has the words without reading the documents table. Both are filled from the documents
table. PostgreSQL is unchanged. The statements are those of community/search/schema.py,
written out so that this migration never changes when that module does.

Revision ID: 9d3f7b2e6a15
Revises: 5ea1ed7c0b11
Create Date: 2026-12-04 11:20:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "9d3f7b2e6a15"
down_revision = "5ea1ed7c0b11"
branch_labels = None
depends_on = None

TRIGGERS = ("forum_search_fts_insert", "forum_search_fts_delete", "forum_search_fts_update")
OPTIONS = "content='', columnsize=0, tokenize='unicode61 remove_diacritics 0', prefix='1 2'"
ADD = (
    "INSERT INTO forum_search_fts(rowid, terms) VALUES (-new.post_id, new.terms); "
    "INSERT INTO forum_search_fts_titles(rowid, title_terms) "
    "VALUES (-new.post_id, new.title_terms);"
)
REMOVE = (
    "INSERT INTO forum_search_fts(forum_search_fts, rowid, terms) "
    "VALUES ('delete', -old.post_id, old.terms); "
    "INSERT INTO forum_search_fts_titles(forum_search_fts_titles, rowid, title_terms) "
    "VALUES ('delete', -old.post_id, old.title_terms);"
)
NEWEST_FIRST = (
    f"CREATE VIRTUAL TABLE forum_search_fts USING fts5(terms, {OPTIONS})",
    f"CREATE VIRTUAL TABLE forum_search_fts_titles USING fts5(title_terms, {OPTIONS})",
    "INSERT INTO forum_search_fts(rowid, terms) "
    "SELECT -post_id, terms FROM forum_search_documents ORDER BY post_id DESC",
    "INSERT INTO forum_search_fts_titles(rowid, title_terms) "
    "SELECT -post_id, title_terms FROM forum_search_documents ORDER BY post_id DESC",
    f"CREATE TRIGGER forum_search_fts_insert AFTER INSERT ON forum_search_documents BEGIN {ADD} END",
    f"CREATE TRIGGER forum_search_fts_delete AFTER DELETE ON forum_search_documents "
    f"BEGIN {REMOVE} END",
    f"CREATE TRIGGER forum_search_fts_update AFTER UPDATE ON forum_search_documents "
    f"BEGIN {REMOVE} {ADD} END",
)
# As revision 4c92d2c64ca4 made them: external content, the post's id as the rowid.
BEFORE = (
    "CREATE VIRTUAL TABLE forum_search_fts USING fts5(terms, "
    "content='forum_search_documents', content_rowid='post_id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    "INSERT INTO forum_search_fts(forum_search_fts) VALUES ('rebuild')",
    "CREATE TRIGGER forum_search_fts_insert AFTER INSERT ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
    "CREATE TRIGGER forum_search_fts_delete AFTER DELETE ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(forum_search_fts, rowid, terms) "
    "VALUES ('delete', old.post_id, old.terms); END",
    "CREATE TRIGGER forum_search_fts_update AFTER UPDATE ON forum_search_documents "
    "BEGIN INSERT INTO forum_search_fts(forum_search_fts, rowid, terms) "
    "VALUES ('delete', old.post_id, old.terms); "
    "INSERT INTO forum_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
)


def _replace_with(statements: tuple[str, ...]) -> None:
    """On SQLite, the FTS5 tables and their triggers dropped and made again by `statements`."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS forum_search_fts_titles")
    op.execute("DROP TABLE IF EXISTS forum_search_fts")
    for statement in statements:
        op.execute(statement)


def upgrade():
    _replace_with(NEWEST_FIRST)


def downgrade():
    _replace_with(BEFORE)
