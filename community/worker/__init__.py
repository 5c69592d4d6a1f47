"""The worker: what happens at a time (a challenge ends, a reminder is due, data expires) runs on
a Huey queue in the app's own Redis, in a process of its own (`flask worker run`, started by
`make run`). Rooms register *duties* (`duties.register`): each computes from the clock what is
due and does it, idempotently, so a worker that was down catches up on its first tick and two
workers ticking at once do nothing twice. Where no worker runs, cron calls `flask worker tick`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.worker import cli, queue

    queue.init_app(app)
    cli.init_app(app)
