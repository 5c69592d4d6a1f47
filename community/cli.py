"""Command-line tasks: `flask seed-demo`."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--force",
        is_flag=True,
        help="Load even when data already exists, adding only the demo data that is missing.",
    )
    @click.option("--verbose", is_flag=True, help="Log every write of the services while loading.")
    def seed_demo(force: bool, verbose: bool) -> None:
        """Load a believable demo company (idempotent: does nothing when users exist)."""
        from community.demo import seed

        created = seed.load(force=force, verbose=verbose)
        click.echo(created)

    @app.cli.command("demo-logins")
    @click.option("--url", default="http://127.0.0.1:5000/", help="Where the app is served.")
    def demo_logins(url: str) -> None:
        """Print the URL and the demo logins."""
        from community.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TRY

        click.echo("")
        click.echo(f"  Referral Community is starting at {url}")
        click.echo(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, role, department in DEMO_ACCOUNTS:
            click.echo(f"    {role:<9} {email:<24} {name} · {department}")
            if email in DEMO_TRY:
                click.echo(f"    {'':<9} {'':<24} ↳ {DEMO_TRY[email]}")
        click.echo("")

    @app.cli.command("stop-embedded-redis")
    def stop_redis() -> None:
        """Stop the embedded Redis server of this instance (it keeps running between app restarts)."""
        from community.core.embedded_redis import stop_embedded_redis

        stop_embedded_redis(app.config["EMBEDDED_REDIS_DIR"])
        click.echo("embedded Redis stopped")
