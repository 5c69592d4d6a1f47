"""Staged bonus payouts: earned as a referral reaches paying stages, approved and paid by HR."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.payouts import listeners, notices, sections
    from community.payouts.routes import bp

    app.register_blueprint(bp)
    listeners.init_app()
    notices.init_app()
    sections.init_app()
