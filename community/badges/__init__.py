"""Levels on lifetime score and badges from a rule registry: awarded by listening to the
referral events (`listeners`), announced through notifications (`notices`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.badges import causes, listeners, notices
    from community.badges.routes import bp

    app.register_blueprint(bp)
    listeners.init_app()
    notices.init_app()
    causes.init_app()
