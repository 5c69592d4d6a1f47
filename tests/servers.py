"""Where the suite keeps its data when it runs on servers (TEST_DATABASE_URL, TEST_REDIS_URL).

The suite drops every table and flushes Redis, so it only ever works in databases that say they
belong to it: on PostgreSQL, databases it creates itself next to the one named in
TEST_DATABASE_URL (`community_test` → `community_test_gw0`, `community_test_gw1`, … one per
pytest-xdist worker), whose name must say "test" and which it marks with a comment; in Redis, a
database holding a marker key. A database that exists without the mark and holds tables, or a
Redis database that holds keys without the marker, is refused before anything is touched.

The application's own DATABASE_URL and REDIS_URL are never read here, so a shell that points the
app at real data can run the tests without risk.
"""

from __future__ import annotations

import os
import re

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

DATABASE_MARK = "Referral Community test suite: dropped and recreated by every run"
REDIS_MARK_KEY = "community-tests:owned"
TEST_NAME = re.compile(r"(^|[_-])test($|[_-])", re.IGNORECASE)


class NotATestDatabase(Exception):
    """A database or Redis database the suite must not wipe."""


def database_url(url: str, worker: int) -> str:
    """The worker's own PostgreSQL database next to the one `url` names, created and marked as
    the suite's when missing. Raises NotATestDatabase for a name without "test", or for an
    unmarked database that holds tables."""
    base = make_url(url)
    if not TEST_NAME.search(base.database or ""):
        raise NotATestDatabase(
            f"TEST_DATABASE_URL names the database {base.database!r}: the tests drop every "
            "table, so its name must say it belongs to them (e.g. community_test)"
        )
    name = f"{base.database}_gw{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            ).first()
            if found is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            elif found[0] != DATABASE_MARK and _tables(base.set(database=name)):
                raise NotATestDatabase(
                    f"the database {name!r} holds tables the test suite did not make; it will "
                    "not wipe them. Drop it yourself if it is a leftover, or name another "
                    "database in TEST_DATABASE_URL"
                )
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{DATABASE_MARK}'"))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _tables(url: URL) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema "
                        "NOT IN ('pg_catalog', 'information_schema')"
                    )
                )
                or 0
            )
    finally:
        engine.dispose()


def redis_url(url: str, worker: int) -> str:
    """The worker's own Redis database: TEST_REDIS_URL's number minus the worker's (15, 14, …)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number - worker) % 16}"))


def claim_redis(client: redis.Redis) -> None:
    """Mark the Redis database as the suite's; raises NotATestDatabase when it holds keys that are
    not (someone's data: the suite flushes it before every test)."""
    if client.dbsize() and not client.exists(REDIS_MARK_KEY):
        number = client.connection_pool.connection_kwargs.get("db", 0)
        raise NotATestDatabase(
            f"Redis database {number} holds keys the test suite did not write; it will not flush "
            "them. Point TEST_REDIS_URL at an empty database, or flush this one yourself"
        )
    mark_redis(client)


def mark_redis(client: redis.Redis) -> None:
    """Write the marker again (after every flush)."""
    client.set(REDIS_MARK_KEY, "1")


def environment() -> tuple[str | None, str | None]:
    """TEST_DATABASE_URL and TEST_REDIS_URL (None: embedded SQLite and Redis)."""
    return os.environ.get("TEST_DATABASE_URL") or None, os.environ.get("TEST_REDIS_URL") or None
