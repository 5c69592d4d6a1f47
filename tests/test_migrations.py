"""The migrations build the whole schema from an empty database, and match the models exactly."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from community import create_app
from community.config import _normalise_database_url
from community.extensions import db
from community.search.schema import include_object
from tests import servers


@pytest.fixture
def empty_database_url(app: Flask, tmp_path) -> Iterator[str]:
    """A brand-new empty database on the same engine the suite runs on."""
    base, _ = servers.environment()
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    url = make_url(_normalise_database_url(base))
    name = f"{url.database}_migrations_{uuid.uuid4().hex[:10]}"  # named like the suite's own
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app_on(app: Flask, database_url: str, **settings: Any) -> Flask:
    """An app like the suite's own (its secret, Redis and uploads) on another database."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": app.config["REDIS_URL"],
            "EMBEDDED_REDIS_DIR": app.config["EMBEDDED_REDIS_DIR"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            **settings,
        }
    )


def test_upgrade_empty_database_to_head_matches_models(app: Flask, empty_database_url: str) -> None:
    migrated = _app_on(app, empty_database_url)
    with migrated.app_context():
        flask_migrate.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_email_identity_keys_are_backfilled_for_existing_rows(
    app: Flask, empty_database_url: str
) -> None:
    """Users and candidates written before `email_key` existed get theirs from the migration."""
    from alembic.script import ScriptDirectory

    revision = "f2e880b7e03a"  # email identity keys
    migrated = _app_on(app, empty_database_url)
    with migrated.app_context():
        config = migrated.extensions["migrate"].migrate.get_config()
        before = ScriptDirectory.from_config(config).get_revision(revision).down_revision
        flask_migrate.upgrade(revision=before)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (email, name, role, leaderboard_opt_out,"
                    " is_active_account, created_at, session_version)"
                    " VALUES ('ann+old@corp.example', 'Ann', 'employee', false, true,"
                    " CURRENT_TIMESTAMP, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO candidates (name, email, created_at) VALUES"
                    " ('Ada', 'Ada.L+cv@Example.org', CURRENT_TIMESTAMP),"
                    " ('Bo', NULL, CURRENT_TIMESTAMP)"
                )
            )
        flask_migrate.upgrade(revision=revision)
        with db.engine.connect() as conn:
            users = conn.execute(text("SELECT email, email_key FROM users")).all()
            candidates = conn.execute(
                text("SELECT email, email_key FROM candidates ORDER BY name")
            ).all()
        db.engine.dispose()
    assert [tuple(r) for r in users] == [("ann+old@corp.example", "ann@corp.example")]
    assert [tuple(r) for r in candidates] == [
        ("Ada.L+cv@Example.org", "ada.l@example.org"),
        (None, None),
    ]


def test_existing_thanks_posts_get_their_day_in_the_company_zone(
    app: Flask, empty_database_url: str
) -> None:
    """Issue 11 §19: the wall's cards group by day; posts from before get theirs filled in."""
    migrated = _app_on(app, empty_database_url, COMPANY_TIMEZONE="Asia/Shanghai")
    with migrated.app_context():
        flask_migrate.upgrade(revision="3c1e7b9d2a40")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO thanks_posts (id, kind, idempotency_key, title, created_at) "
                    "VALUES (1, 'announcement', 'announcement:x', 'News', '2026-11-30 17:30:00')"
                )
            )
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            day = conn.scalar(text("SELECT wall_day FROM thanks_posts WHERE id = 1"))
        db.engine.dispose()
    assert str(day) == "2026-12-01"  # 01:30 the next morning in Shanghai


def test_team_chat_robots_written_before_are_sealed_in_place(
    app: Flask, empty_database_url: str
) -> None:
    """A robot's address and secret stored in clear before sealing are sealed by the migration,
    and the model reads them back."""
    from alembic.script import ScriptDirectory

    from community.core.sealing import unseal
    from community.teamchat.models import SEALED

    revision = "5ea1ed7c0b11"  # team chat robots sealed
    migrated = _app_on(app, empty_database_url)
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc123"
    with migrated.app_context():
        config = migrated.extensions["migrate"].migrate.get_config()
        before = ScriptDirectory.from_config(config).get_revision(revision).down_revision
        flask_migrate.upgrade(revision=before)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO teamchat_robots (name, platform, webhook_url, secret,"
                    " sends_announcements, sends_challenges, sends_thanks, enabled, created_at,"
                    " updated_at) VALUES ('Group', 'dingtalk', :url, 'SECxyz', true, true, true,"
                    " true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"url": url},
            )
        flask_migrate.upgrade(revision=revision)
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT webhook_url, secret FROM teamchat_robots")).one()
        assert "access_token" not in stored.webhook_url and "SECxyz" not in stored.secret
        assert (unseal(stored.webhook_url, SEALED), unseal(stored.secret, SEALED)) == (
            url,
            "SECxyz",
        )
        db.engine.dispose()
