"""Notifications: the in-app inbox. Rooms fill in its registry of kinds (`kinds`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.notifications import referral_notices
    from community.notifications.routes import bp

    app.register_blueprint(bp)
    referral_notices.init_app(app)
