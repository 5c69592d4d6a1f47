"""One-click invitations (一键邀请), consent first: a referrer invites someone by e-mail or text
message to apply to a job; the person opens a personal link and consents and applies (a referral
with source "invite"), or declines, perhaps for good. See docs/architecture.md."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from community import events
    from community.invites import answers, duties, messages, notices, permissions
    from community.invites.routes import bp
    from community.mail import outbox

    app.register_blueprint(bp)
    outbox.keep_private(messages.INVITATION, messages.REMINDER)
    outbox.name_kind(messages.INVITATION, _l("Invitation to apply"))
    outbox.name_kind(messages.REMINDER, _l("Invitation reminder"))
    events.subscribe(events.ReferralSubmitted, answers.link_referral)
    events.subscribe(events.JobClosed, duties.job_closed)
    notices.init_app()
    duties.init_app()
    permissions.init_app(app)
