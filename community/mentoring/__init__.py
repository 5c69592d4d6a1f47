"""Mentoring (老带新): experienced referrers offer to mentor newcomers; HR pairs them too."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.mentoring import causes, duties, notices, permissions, rewards
    from community.mentoring.routes import bp

    app.register_blueprint(bp)
    rewards.init_app()
    notices.init_app()
    causes.init_app()
    duties.init_app()
    permissions.init_app(app)
