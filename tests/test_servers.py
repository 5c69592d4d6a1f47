"""The suite wipes only what belongs to it (tests/servers.py): databases named for the tests and
marked as theirs, Redis databases holding its marker or nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from community.config import _normalise_database_url
from tests import servers
from tests.redis_server import RedisServer


def test_a_database_whose_name_does_not_say_test_is_refused_before_anything_is_touched() -> None:
    # nothing listens on this port: the refusal comes before any connection
    for name in ("community", "production", "contest", "latest"):
        with pytest.raises(servers.NotATestDatabase, match="must say it belongs to them"):
            servers.database_url(f"postgresql+psycopg://u@127.0.0.1:1/{name}", 0)


def test_names_that_say_test() -> None:
    for name in ("test", "community_test", "test_community", "ci-test-3"):
        assert servers.TEST_NAME.search(name), name


def test_each_worker_gets_its_own_redis_database() -> None:
    assert servers.redis_url("redis://127.0.0.1:6379/15", 0) == "redis://127.0.0.1:6379/15"
    assert servers.redis_url("redis://127.0.0.1:6379/15", 2) == "redis://127.0.0.1:6379/13"


@pytest.fixture
def spare_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.close()


def test_a_redis_database_with_someone_elses_keys_is_refused(spare_redis: RedisServer) -> None:
    client = spare_redis.client()
    client.set("session:abc", "a user's session")
    with pytest.raises(servers.NotATestDatabase, match="did not write"):
        servers.claim_redis(client)
    assert client.get("session:abc") == "a user's session"
    assert not client.exists(servers.REDIS_MARK_KEY)


def test_an_empty_redis_database_or_one_the_suite_marked_is_claimed(
    spare_redis: RedisServer,
) -> None:
    client = spare_redis.client()
    servers.claim_redis(client)  # empty
    assert client.exists(servers.REDIS_MARK_KEY)
    client.set("{lb}:board:x", "left over by a test")
    servers.claim_redis(client)  # marked: a run of the suite left it


# The database refusal needs a PostgreSQL server: the suite's own (TEST_DATABASE_URL).
needs_postgresql = pytest.mark.skipif(
    not (servers.environment()[0] or "").startswith("postgres"),
    reason="needs TEST_DATABASE_URL=postgresql://…",
)


@pytest.fixture
def server_url() -> Iterator[URL]:
    """A fresh name on the suite's PostgreSQL server; whatever a test created under it is
    dropped afterwards."""
    base = make_url(_normalise_database_url(servers.environment()[0] or ""))
    url = base.set(database=f"servers_test_{uuid.uuid4().hex[:8]}")
    yield url
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for worker in (0, 1):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}_gw{worker}" WITH (FORCE)'))
    admin.dispose()


def _admin(url: URL):  # type: ignore[no-untyped-def]
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


@needs_postgresql
def test_a_missing_database_is_created_and_marked(server_url: URL) -> None:
    made = make_url(servers.database_url(server_url.render_as_string(False), 1))
    assert made.database == f"{server_url.database}_gw1"
    admin = _admin(server_url)
    with admin.connect() as conn:
        mark = conn.scalar(
            text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"
            ),
            {"n": made.database},
        )
    admin.dispose()
    assert mark == servers.DATABASE_MARK
    # a second run finds its own mark and goes on
    assert servers.database_url(server_url.render_as_string(False), 1) == made.render_as_string(
        False
    )


@needs_postgresql
def test_an_unmarked_database_holding_tables_is_refused_and_left_alone(server_url: URL) -> None:
    name = f"{server_url.database}_gw0"
    admin = _admin(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    theirs = create_engine(server_url.set(database=name))
    with theirs.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id int)"))
        conn.execute(text("INSERT INTO customers VALUES (1)"))

    with pytest.raises(servers.NotATestDatabase, match="did not make"):
        servers.database_url(server_url.render_as_string(False), 0)

    with theirs.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM customers")) == 1
    theirs.dispose()


@needs_postgresql
def test_an_unmarked_empty_database_is_adopted(server_url: URL) -> None:
    name = f"{server_url.database}_gw0"
    admin = _admin(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    assert make_url(servers.database_url(server_url.render_as_string(False), 0)).database == name


def test_the_run_stops_with_the_reason_before_any_test() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["TEST_DATABASE_URL"] = "postgresql://postgres@127.0.0.1:1/community"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-n", "0", "tests/test_i18n.py"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "refusing to run the tests" in done.stderr
    assert "'community'" in done.stderr
