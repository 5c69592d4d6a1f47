"""E-mail: an outbox every room may write to (`outbox.queue`, `outbox.render`: see
`community.mail.outbox` for the public API), sent by the worker (duty `mail.send`) through
Flask-Mailman with retries, and HR's outbox page. In development mail goes to files under
instance/outbox (MAIL_BACKEND "file"); in production to MAIL_SERVER over SMTP.

What it mails by itself (`listeners`): a notification to people who chose "e-mail now" for its
category, HR's announcements and changes of the program rules to everyone (who did not
unsubscribe), and daily and weekly digests (duty `mail.digests`). Every mail to a person has a
one-click unsubscribe (`unsubscribe`)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def send_duty(now: datetime) -> int:
    from community.mail.sending import send_due

    return send_due(now)


def digests_duty(now: datetime) -> int:
    from community.mail.digests import send_digests

    return send_digests(now)


def init_app(app: Flask) -> None:
    from community.extensions import mail
    from community.mail import listeners, notices, outbox
    from community.mail.routes import bp
    from community.worker import duties

    mail.init_app(app)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        app_url=outbox.app_url,
        absolute_url=outbox.absolute_url,
        mail_private=outbox.is_private,
        mail_address=outbox.shown_address,
    )
    notices.init_app()
    listeners.init_app()
    duties.register(
        duties.Duty(
            "mail.send", send_duty, "send the e-mails in the outbox, trying failed ones again"
        )
    )
    duties.register(
        duties.Duty(
            "mail.digests",
            digests_duty,
            "send the daily and weekly digests of unread notifications at DIGEST_HOUR",
        )
    )
