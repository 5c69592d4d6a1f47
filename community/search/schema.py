"""The engine's own index beside `forum_search_documents`, created with the table (tests'
`create_all`) and by the migration (the same statements, written out there), never a model.

- SQLite: an FTS5 table over `terms`, external content (the text is stored once, in the
  documents table), kept in step by three triggers; `prefix='1 2'` makes the short-query prefix
  search an index lookup. `remove_diacritics 0`: PostgreSQL's 'simple' keeps accents too.
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
VECTOR = "search_vector"
GIN = "ix_forum_search_documents_vector"

SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(terms, content='{TABLE}', "
    "content_rowid='post_id', tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, terms) VALUES (new.post_id, new.terms); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', old.post_id, old.terms); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', old.post_id, old.terms); "
    f"INSERT INTO {FTS}(rowid, terms) VALUES (new.post_id, new.terms); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS}",)

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
        return False  # the FTS5 table and its shadow tables (_data, _idx, _docsize, _config)
    if type_ == "column" and name == VECTOR and getattr(obj, "table", None) is not None:
        return obj.table.name != TABLE
    return not (type_ == "index" and name == GIN)


def present(connection: Connection) -> bool:
    """Whether the engine's index exists (a test checks the migration builds it)."""
    if connection.dialect.name == "sqlite":
        found = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name LIKE :name"),
            {"name": f"{FTS}%"},
        ).scalar_one()
        return bool(found >= 4)  # the table and its triggers
    columns = {column["name"] for column in inspect(connection).get_columns(TABLE)}
    indexes = {index["name"] for index in inspect(connection).get_indexes(TABLE)}
    return VECTOR in columns and GIN in indexes
