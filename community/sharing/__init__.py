"""Sharing sessions (分享会): talks HR and club members host, with seats, a first-come waitlist
that moves by itself, reminders on the worker, calendar invitations and a private feed, a
check-in code and the host's attendance list (attendance earns capped points), slides and a
recording afterwards. The forum opens each session's question topic when it hears
`SharingSessionScheduled`."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def remind_duty(now: datetime) -> int:
    from community.sharing.reminders import remind

    return remind(now)


def init_app(app: Flask) -> None:
    from community.sharing import causes, notices, permissions
    from community.sharing.views import bp
    from community.worker import duties

    app.register_blueprint(bp)
    causes.init_app()
    notices.init_app()
    permissions.init_app(app)
    duties.register(
        duties.Duty(
            "sharing.remind",
            remind_duty,
            "remind the people going to a sharing session 24 hours and 1 hour before it starts",
        )
    )
