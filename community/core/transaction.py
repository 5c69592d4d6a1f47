"""What happens around a commit, in one place: the only SQLAlchemy session listeners of the app.

- `after_commit(name, callback)`: run `callback()` once the current transaction has committed
  (dropped if it rolls back). Rooms use it for work outside the database that must only follow
  a write that stuck; today that is the leaderboards: they project newly written ledger
  entries onto Redis (`leaderboards.listeners`) and move a person shown or hidden anew
  (`leaderboards.visibility`). A callback runs with the app context of the
  commit, in the same thread, and must not raise (it is logged and swallowed: the data is
  committed whatever happens next). Registering the same `name` twice in one transaction runs
  it once. A savepoint does not end the transaction: releasing one runs nothing yet, rolling one
  back drops nothing (the work registered is idempotent and reads what did commit).
- `committed()`: one change as one transaction, for a service: committed when the block ends,
  rolled back (and the error raised on) when anything in it fails, so a refusal writes nothing.
- `insert_once(model, values, keys)`: INSERT … ON CONFLICT DO NOTHING, for rows that two
  concurrent transactions may both try to write once (a badge, a club membership).
- `writes()`: how many times the session has written (flushes and bulk UPDATE/DELETE/INSERT
  statements). A figure read before a write may be out of date after it (`core.viewer`).

Domain events (`community.events`) run inside the transaction; this module is only about its end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from community.extensions import db

logger = logging.getLogger(__name__)

_CALLBACKS = "community_after_commit"
_WRITES = "community_writes"


@contextmanager
def committed() -> Iterator[None]:
    """One change as one transaction: committed when the block ends, rolled back (and the error
    raised on) when anything in it fails, so a refusal writes nothing."""
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def insert_once(model: type[Any], values: dict[str, Any], keys: list[str]) -> Any | None:
    """INSERT … ON CONFLICT (`keys`) DO NOTHING in the caller's transaction: the new row's primary
    key, or None when the row is there already (written by a concurrent transaction too). Unlike
    a savepoint, the caller's transaction (and what is hooked on its commit) is untouched either
    way. Engines without an upsert add the row; the unique constraint then fails the
    transaction, which stays correct."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:
        row = model(**values)
        db.session.add(row)
        db.session.flush()
        return inspect(row).identity[0]
    key = inspect(model).primary_key[0]
    statement = (
        insert(model).values(**values).on_conflict_do_nothing(index_elements=keys).returning(key)
    )
    return db.session.scalar(statement)


def after_commit(name: str, callback: Callable[[], None]) -> None:
    """Run `callback()` after the current transaction of `db.session` commits (once per `name`)."""
    db.session.info.setdefault(_CALLBACKS, {})[name] = callback


def writes(session: Session | None = None) -> int:
    """How many writes `session` (default `db.session`) has made so far."""
    return int((session or db.session()).info.get(_WRITES, 0))


def _ran(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: its writes are not committed until the transaction is
    callbacks: dict[str, Callable[[], None]] = session.info.pop(_CALLBACKS, None) or {}
    if not has_app_context():
        return
    for name, callback in callbacks.items():
        try:
            callback()
        except Exception:  # the commit stands; the callback's work is retried its own way
            logger.exception("after-commit work %r failed", name)


def _dropped(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the transaction itself, not a savepoint inside it
        session.info.pop(_CALLBACKS, None)


def _wrote(session: Session, *args: Any) -> None:
    session.info[_WRITES] = session.info.get(_WRITES, 0) + 1


def _bulk(state: ORMExecuteState) -> None:
    if not state.is_select:
        _wrote(state.session)


_LISTENERS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("after_commit", _ran),
    ("after_soft_rollback", _dropped),
    ("after_flush", _wrote),
    ("do_orm_execute", _bulk),
)


def init_app(app: Flask) -> None:
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
