"""`flask leaderboards sync | rebuild | verify`."""

from __future__ import annotations

import sys
import time

import click
from flask import Flask
from flask.cli import AppGroup

from community.leaderboards.projection import pending_count
from community.leaderboards.rebuild import rebuild
from community.leaderboards.recovery import ensure_whole, sync_pending
from community.leaderboards.verify import verify

leaderboards = AppGroup("leaderboards", help="The Redis leaderboards (a projection of the ledger).")


@leaderboards.command("sync")
def sync_command() -> None:
    """Apply ledger entries that are not on the boards yet (e.g. written while Redis was down)."""
    whole = ensure_whole(at_once=True)
    if whole == "rebuilt":
        click.echo("Redis had lost the boards: rebuilt them from the ledger, pending entries too")
    elif whole == "rebuilding":
        click.echo("Redis had lost the boards: another process is rebuilding them", err=True)
    elif whole == "failed":
        click.echo("Redis had lost the boards, and rebuilding them failed (see the log)", err=True)
    elif whole == "unreachable":
        click.echo("Redis is unreachable", err=True)
    applied = sync_pending(force=True, at_once=True)
    left = pending_count()
    click.echo(f"applied {applied} pending entries; {left} still pending")
    if left or whole not in ("whole", "rebuilt"):
        sys.exit(1)


@leaderboards.command("rebuild")
def rebuild_command() -> None:
    """Recreate every board from the ledger."""
    started = time.perf_counter()
    rebuilt = rebuild()
    click.echo(
        f"rebuilt {rebuilt.boards} boards ({rebuilt.members} places) from {rebuilt.entries} "
        f"entries in {time.perf_counter() - started:.2f}s"
    )


@leaderboards.command("verify")
def verify_command() -> None:
    """Compare every board with the ledger; print any drift and exit 1 when there is some."""
    drift = verify()
    for line in drift:
        click.echo(line)
    if drift:
        click.echo(f"{len(drift)} differences between the boards and the ledger", err=True)
        sys.exit(1)
    click.echo("boards equal the ledger")


def init_app(app: Flask) -> None:
    app.cli.add_command(leaderboards)
