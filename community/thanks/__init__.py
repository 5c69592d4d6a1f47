"""The thanks wall: public thanks for paid bonuses and gold tiers, HR's announcements."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.thanks import listeners, notices, permissions
    from community.thanks.routes import bp

    app.register_blueprint(bp)
    listeners.init_app()
    notices.init_app()
    permissions.init_app(app)
