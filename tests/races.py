"""Real races on PostgreSQL: several threads, each with its own application context and database
session, released at once by a barrier. SQLite serialises writers, so it has no real race."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pytest
from flask import Flask

from community.extensions import db


def needs_postgresql() -> None:
    """Skip the calling test unless the suite runs on PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no real race")


def race(app: Flask, attempts: Sequence[Callable[[], str]]) -> list[str]:
    """Run every attempt in a thread of its own, all at once; return what each said, in the order
    they finished. An attempt reads what it needs by id (never objects of the test's session) and
    turns the refusal it expects into an outcome; anything else it raises fails the test."""
    barrier = threading.Barrier(len(attempts), timeout=30)
    outcomes: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(attempt: Callable[[], str]) -> None:
        with app.app_context(), app.test_request_context():
            try:
                barrier.wait()  # (before any connection: the pool is smaller than some races)
                outcome = attempt()
            except BaseException as exc:  # handed to the test below
                with lock:
                    failures.append(exc)
                return
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    db.session.expire_all()  # the test's session reads what the threads committed
    return outcomes
