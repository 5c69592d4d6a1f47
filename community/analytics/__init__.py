"""Analytics (数据分析): the numbers HR acts on — the funnel, time in stage, retention, participation,
rewards and quality — read from rollups the worker keeps current, and the weak spots they show.
See docs/architecture.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.analytics import rollups
    from community.analytics.routes import bp

    app.register_blueprint(bp)
    rollups.register(app)
