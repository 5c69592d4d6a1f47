"""The perk shop: points spent on perks (extra leave, a health check-up), approved by HR."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.perks import causes, notices, vouchers
    from community.perks.routes import bp

    app.register_blueprint(bp)
    notices.init_app()
    causes.init_app()
    vouchers.init_app()
