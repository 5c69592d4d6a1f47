"""Team chat: announcements, challenge results and thanks posts to the WeCom (企业微信),
Feishu (飞书) and DingTalk (钉钉) group robots HR sets up per department (and company-wide),
signed where the platform signs. Listeners queue the messages inside the transaction of what
they tell; the worker's duty `teamchat.send` posts them with retries."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def send_duty(now: datetime) -> int:
    from community.teamchat.sending import send_due

    return send_due(now)


def init_app(app: Flask) -> None:
    from community.teamchat import listeners
    from community.teamchat.routes import bp
    from community.worker import duties

    app.register_blueprint(bp)
    listeners.init_app()
    duties.register(
        duties.Duty(
            "teamchat.send",
            send_duty,
            "post the queued team chat messages to their group robots, retrying failed ones",
        )
    )
