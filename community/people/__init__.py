"""The person pages: HR's people directory (add, import, deactivate, set-password links,
departments) and every person's profile (level, badges, ranks) with HR's grant and adjustment
forms. This room writes nothing of its own: it calls the services of accounts, badges and
points."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.people.routes import bp

    app.register_blueprint(bp)
