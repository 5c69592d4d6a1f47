"""What the invited person receives, in the language the referrer chose for them: an e-mail
through the mail room's outbox (`templates/mail/invites/*`) or a text message through
`invites.sms`, both queued in the caller's transaction and sent by the worker."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from community.core.localized import localized
from community.core.time import to_local
from community.extensions import db
from community.invites import sms, tokens
from community.invites.models import Channel, Invitation
from community.links.queries import first_name  # one way to name a referrer to a candidate
from community.mail import outbox

INVITATION = "invitation"  # the mail room's kinds of our e-mails (private: HR's outbox hides them)
REMINDER = "invitation_reminder"


def link_for(invitation: Invitation) -> str:
    """The absolute URL of the invitation's personal page."""
    return outbox.app_url("invites.invitation", token=tokens.token_for(invitation))


def _context(invitation: Invitation) -> dict[str, Any]:
    """What every message says, in the current language (call it inside `force_locale`)."""
    return {
        "referrer_name": first_name(invitation.referrer),
        "company": current_app.config["COMPANY_NAME"],
        "job_title": localized(invitation.job, "title").text,
        "note": invitation.note,
        "link": link_for(invitation),
        "expires_on": format_date(to_local(invitation.expires_at).date(), "long"),
        "delete_days": int(current_app.config.get("INVITATION_DELETE_DAYS", 30)),
    }


def sms_text(invitation: Invitation, *, reminder: bool) -> str:
    """The text message, short: who, which job, the link, and that one may say no there."""
    with force_locale(invitation.locale):
        values = _context(invitation)
        if reminder:
            return _(
                "A reminder: %(name)s at %(company)s invited you to apply for %(job)s. "
                "The invitation is open until %(day)s: %(link)s",
                name=values["referrer_name"],
                company=values["company"],
                job=values["job_title"],
                day=values["expires_on"],
                link=values["link"],
            )
        return _(
            "%(name)s at %(company)s invites you to apply for %(job)s: %(link)s "
            "You can also say no there, or ask never to be invited again.",
            name=values["referrer_name"],
            company=values["company"],
            job=values["job_title"],
            link=values["link"],
        )


def deliver(invitation: Invitation, *, reminder: bool) -> None:
    """Queue the invitation (or its one reminder) to the person, in the caller's transaction."""
    if invitation.contact is None:
        return
    if invitation.channel == Channel.SMS:
        sms.queue(invitation.id, invitation.contact, sms_text(invitation, reminder=reminder))
        return
    with force_locale(invitation.locale):  # the outbox records the language it is written in
        context = _context(invitation)
        subject, text, html = outbox.render(
            "invites/reminder" if reminder else "invites/invitation", invitation.locale, **context
        )
        email = outbox.queue(
            invitation.contact, subject, text, html, kind=REMINDER if reminder else INVITATION
        )
    db.session.flush()
    invitation.email_ids = [*(invitation.email_ids or []), email.id]


def forget(invitation: Invitation) -> None:
    """The invitation's e-mails leave the outbox (a queued one is never sent)."""
    outbox.forget(list(invitation.email_ids or []))
    invitation.email_ids = []
