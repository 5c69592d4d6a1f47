"""ATS sync by signed webhooks (Standard Webhooks): an ATS's stage changes move referrals
(`inbound`), and our referral events go out to the endpoints HR registers (`listeners` queue,
the worker's duty `webhooks.deliver` sends with retries). HR's pages: `/integrations/webhooks`.
See docs/ats-sync.md."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def deliver_duty(now: datetime) -> int:
    from community.webhooks.sending import deliver_due

    return deliver_due(now)


def init_app(app: Flask) -> None:
    from community.webhooks import listeners
    from community.webhooks.routes import bp
    from community.worker import duties

    app.register_blueprint(bp)
    listeners.init_app()
    duties.register(
        duties.Duty(
            "webhooks.deliver",
            deliver_duty,
            "send the queued outbound webhooks to HR's endpoints, retrying failed ones",
        )
    )
