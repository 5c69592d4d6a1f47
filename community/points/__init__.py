"""Points: the append-only ledger, the source of truth for every score and balance."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.points import listeners, notices
    from community.points.routes import bp

    app.register_blueprint(bp)
    listeners.init_app()
    notices.init_app()
