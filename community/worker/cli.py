"""`flask worker run | tick | duties`."""

from __future__ import annotations

import contextlib
import logging
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from community.worker import duties
from community.worker.queue import worker as app_worker

logger = logging.getLogger(__name__)

group = AppGroup("worker", help="The background worker that keeps time (docs/architecture.md).")


@group.command("run")
@click.option("--threads", default=2, show_default=True, help="Tasks run at the same time.")
def run_command(threads: int) -> None:
    """Run the worker: queued tasks, and a tick of every duty each minute (until stopped)."""
    queue = app_worker(current_app).huey
    consumer = queue.create_consumer(workers=threads, worker_type="thread", periodic=True)
    names = ", ".join(duty.name for duty in duties.registered()) or "none"
    logger.info("worker: started with %s threads; duties every minute: %s", threads, names)
    logging.getLogger("huey").setLevel(logging.WARNING)  # not a line per task each minute
    # (KeyboardInterrupt: stopped before the consumer took over the signals)
    with contextlib.suppress(KeyboardInterrupt):
        consumer.run()  # the first tick runs at once: it catches up on what fell due meanwhile
    logger.info("worker: stopped")


@group.command("tick")
def tick_command() -> None:
    """Run every duty once, now (from cron where no worker runs); exit 1 when one failed."""
    done = duties.run_due()
    for name, count in done.items():
        click.echo(f"{name}: {count}")
    if duties.FAILED in done.values():
        sys.exit(1)


@group.command("duties")
def duties_command() -> None:
    """List the duties the tick runs."""
    for duty in duties.registered():
        click.echo(f"{duty.name}: {duty.description}")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
