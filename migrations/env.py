"""Alembic environment for Flask-Migrate: the app's engine and metadata, batch mode for SQLite."""

from __future__ import annotations

import logging

from alembic import context
from flask import current_app

from community.search.schema import include_object  # the engines' own search index

logger = logging.getLogger("alembic.env")
config = context.config


def _metadata():
    return current_app.extensions["migrate"].db.metadata


def _process_revision_directives(context, revision, directives) -> None:
    # Don't write an empty migration when nothing changed.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    url = current_app.extensions["migrate"].db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url, target_metadata=_metadata(), literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = current_app.extensions["migrate"].db.engine
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _process_revision_directives)
    with engine.connect() as connection:
        options.setdefault("include_object", include_object)
        context.configure(connection=connection, target_metadata=_metadata(), **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
