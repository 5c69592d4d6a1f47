"""The demo tests share one seeded database: seeding writes some 70 referral histories through
the services, which takes seconds, so it happens once for this package instead of once per test.

The tests here only read (or re-run the seed, which must change nothing)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from community.demo import seed
from community.extensions import db, redis_store


def _wipe(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        redis_store.client.flushdb()


# What the app logged below INFO's threshold while the demo loaded (tests/demo/test_seed.py).
SEED_LOG: list[logging.LogRecord] = []


class _Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        SEED_LOG.append(record)


@pytest.fixture(scope="package")
def seeded(app: Flask) -> Iterator[str]:
    """The demo company, loaded once; the one-line summary `load()` returned. The app's log is
    collected at INFO meanwhile, as `make run` shows it."""
    _wipe(app)
    app_log = logging.getLogger("community")
    handler, level = _Collect(logging.INFO), app_log.level
    app_log.addHandler(handler)
    app_log.setLevel(logging.INFO)
    try:
        with app.app_context():
            summary = seed.load()
    finally:
        app_log.removeHandler(handler)
        app_log.setLevel(level)
    yield summary
    _wipe(app)


@pytest.fixture(autouse=True)
def _clean_state(app: Flask, seeded: str) -> Iterator[None]:
    """Replaces the root per-test wipe (tests/conftest.py) for this package: an app context per
    test over the shared seeded database, which `seeded` wipes after the last test."""
    ctx = app.app_context()
    ctx.push()
    yield
    db.session.rollback()
    db.session.remove()
    ctx.pop()
