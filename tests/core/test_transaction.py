"""core.transaction: work registered for after the commit runs once the transaction commits,
never for a savepoint, and is dropped when the transaction rolls back."""

from __future__ import annotations

from community.accounts.models import Department
from community.core.transaction import after_commit
from community.extensions import db
from tests.factories import make_department


def test_the_work_runs_once_after_the_commit() -> None:
    ran: list[str] = []
    make_department()  # (committed: starts clean)
    after_commit("note", lambda: ran.append("first"))
    after_commit("note", lambda: ran.append("second"))  # one per name: the latest wins
    assert ran == []
    db.session.commit()
    assert ran == ["second"]
    db.session.commit()
    assert ran == ["second"]


def test_a_savepoint_neither_runs_nor_drops_the_work() -> None:
    ran: list[str] = []
    after_commit("note", lambda: ran.append("ran"))
    savepoint = db.session.begin_nested()
    savepoint.commit()  # SQLAlchemy signals a released savepoint as a commit
    assert ran == []
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    assert ran == []
    db.session.commit()
    assert ran == ["ran"]


def test_a_rollback_drops_the_work() -> None:
    ran: list[str] = []
    db.session.add(Department(name="Never written"))
    db.session.flush()
    after_commit("note", lambda: ran.append("ran"))
    db.session.rollback()
    db.session.commit()
    assert ran == []
