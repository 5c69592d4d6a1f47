"""Leaderboards: Redis sorted sets projected from the points ledger, rebuilt and verified from
it (`projection`, `recovery`, `rebuild`, `verify`), read in one round trip (`reads`), shown on
the board pages (`routes`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.leaderboards import cli, listeners
    from community.leaderboards.routes import bp

    app.register_blueprint(bp)
    cli.init_app(app)
    listeners.init_app(app)
