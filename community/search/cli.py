"""`flask search reindex | check`: rebuild the forum's search index from the posts, or say
whether the index (kept in step by every write) equals what a rebuild would write."""

from __future__ import annotations

import sys
import time

import click
from flask import Flask
from flask.cli import AppGroup

from community.search import services

group = AppGroup("search", help="The forum's search index (docs/architecture.md).")


@group.command("reindex")
def reindex_command() -> None:
    """Rebuild the whole index from the forum's posts (one transaction)."""
    started = time.perf_counter()
    count = services.rebuild()
    click.echo(f"indexed {count} posts in {time.perf_counter() - started:.1f} s")


@group.command("check")
def check_command() -> None:
    """Compare the index with the posts; exit 1 and list the first differences if they differ."""
    found = services.differences()
    if found:
        for line in found:
            click.echo(line, err=True)
        click.echo("the index differs from the posts: run `flask search reindex`", err=True)
        sys.exit(1)
    click.echo("the index is in step with the posts")


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
