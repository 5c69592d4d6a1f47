"""Search over the club forum's topics and replies, in Chinese and English (issue 13).

`text` segments with jieba, `query` reads what a person typed (never an error), `engines`
speaks FTS5 (SQLite) or tsquery (PostgreSQL), `services` keeps the index in step with the
forum (`listeners`) or rebuilds it (`flask search reindex`), `queries` ranks and highlights.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.core.permissions import expose
    from community.search import cli, listeners, services
    from community.search.permissions import can_search
    from community.search.routes import bp, post_url
    from community.worker import duties

    app.register_blueprint(bp)
    listeners.init_app()
    cli.init_app(app)
    expose(app, can_search)
    app.jinja_env.globals["search_post_url"] = post_url
    duties.register(
        duties.Duty(
            "search.tidy-index",
            services.tidy_duty,
            "merge SQLite's full-text index into one segment each night (TIDY_HOUR)",
        )
    )
