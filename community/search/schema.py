"""The engine's own index beside `forum_search_documents`, created with the table (tests'
`create_all`) and by the migrations (the same statements, written out there), never a model.

- SQLite: two FTS5 tables kept in step by three triggers: `forum_search_fts` over `terms` (what
  finds a post) and `forum_search_fts_titles` over `title_terms` (what ranks an opening post
  whose title has the words). Both are contentless (the text is in the documents table only;
  a delete names the old text, which the triggers read from the row) and keep the post's id
  negated as their rowid: FTS5 walks its lists forwards faster than backwards, and the search
  wants the newest posts first. `prefix='1 2'` makes the short-query prefix search an index
  lookup; `remove_diacritics 0`: PostgreSQL's 'simple' keeps accents too; `columnsize=0`: no
  ranking function reads sizes.
- PostgreSQL: a stored generated column `to_tsvector('simple', terms)` and a GIN index on it.

Either way the application writes only the documents table, the same on both engines, and the
database keeps its index in step in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, Connection, event, inspect, text

from community.search.models import SearchDocument

TABLE = "forum_search_documents"
FTS = "forum_search_fts"
TITLES = f"{FTS}_titles"
VECTOR = "search_vector"
GIN = "ix_forum_search_documents_vector"

_FTS5 = "content='', columnsize=0, tokenize='unicode61 remove_diacritics 0', prefix='1 2'"
_ADD = (
    f"INSERT INTO {FTS}(rowid, terms) VALUES (-new.post_id, new.terms); "
    f"INSERT INTO {TITLES}(rowid, title_terms) VALUES (-new.post_id, new.title_terms);"
)
_REMOVE = (
    f"INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', -old.post_id, old.terms); "
    f"INSERT INTO {TITLES}({TITLES}, rowid, title_terms) "
    "VALUES ('delete', -old.post_id, old.title_terms);"
)
SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(terms, {_FTS5})",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TITLES} USING fts5(title_terms, {_FTS5})",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN {_REMOVE} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE ON {TABLE} BEGIN {_REMOVE} {_ADD} END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS}", f"DROP TABLE IF EXISTS {TITLES}")
# What `present` looks for on SQLite.
SQLITE_OBJECTS = frozenset({FTS, TITLES, f"{FTS}_insert", f"{FTS}_delete", f"{FTS}_update"})

POSTGRESQL = (
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED",
    f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING gin ({VECTOR})",
)


def _listen() -> None:
    table = SearchDocument.__table__
    for statement in SQLITE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "after_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


_listen()


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic's comparison (`flask db migrate`, tests/test_migrations.py): the engine's own
    index structures are not models, so they are neither "missing" from the models nor
    "extra" in the database."""
    if type_ == "table" and name and name.startswith(FTS):
        return False  # the FTS5 tables and their shadow tables (_data, _idx, _config)
    if type_ == "column" and name == VECTOR and getattr(obj, "table", None) is not None:
        return obj.table.name != TABLE
    return not (type_ == "index" and name == GIN)


def present(connection: Connection) -> bool:
    """Whether the engine's index exists (a test checks the migration builds it)."""
    if connection.dialect.name == "sqlite":
        names = connection.execute(text("SELECT name FROM sqlite_master")).scalars()
        return SQLITE_OBJECTS.issubset(names)  # both tables and the three triggers
    columns = {column["name"] for column in inspect(connection).get_columns(TABLE)}
    indexes = {index["name"] for index in inspect(connection).get_indexes(TABLE)}
    return VECTOR in columns and GIN in indexes
