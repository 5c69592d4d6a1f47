"""The queue: a Huey instance on the app's Redis (the embedded server or REDIS_URL), with the
tick as a periodic task every minute. Huey rather than RQ: one consumer process runs the
workers and the periodic scheduler together, with no second scheduler process to keep alive
(docs/architecture.md)."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask
from huey import RedisHuey, crontab

from community.worker import duties


class Worker:
    """The app's queue (`huey`) and its tasks, kept in `app.extensions["worker"]`."""

    def __init__(self, app: Flask) -> None:
        self.huey = RedisHuey(
            name=app.config["WORKER_QUEUE"],
            connection_pool=_connection_pool(app),
            results=False,  # tasks report through the log and what they write, never results
            utc=True,
        )

        @self.huey.periodic_task(crontab(minute="*"), name="tick")
        def tick() -> None:
            with app.app_context():
                duties.run_due()

        self.tick = tick


def _connection_pool(app: Flask) -> redis.ConnectionPool:
    """A pool to the app's Redis that speaks bytes (Huey pickles its tasks), with room for the
    one-second blocking reads of an idle consumer."""
    pool = app.extensions["redis"].connection_pool
    kwargs: dict[str, Any] = dict(pool.connection_kwargs)
    kwargs.update(decode_responses=False, socket_timeout=10)
    return redis.ConnectionPool(connection_class=pool.connection_class, **kwargs)


def init_app(app: Flask) -> None:
    app.extensions["worker"] = Worker(app)


def worker(app: Flask) -> Worker:
    return app.extensions["worker"]
