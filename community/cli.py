"""Command-line tasks: `flask seed-demo`."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--force", is_flag=True, help="Load even when data already exists.")
    def seed_demo(force: bool) -> None:
        """Load a believable demo company (idempotent: does nothing when users exist)."""
        from community.demo import seed

        created = seed.load(force=force)
        click.echo(created)
