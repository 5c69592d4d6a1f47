"""What the referrer hears about their invitations: the person declined. (That they accepted is
the referral's own notice, `referral_applied` with source "invite": "… accepted your invitation
and applied", written in the same transaction; a second message would say it twice.) Never the
person's contact, and never whether they asked not to be invited again."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from community import events
from community.core.links import url
from community.core.localized import choose
from community.notifications.kinds import Notice, notify_on, register

DECLINED = "invitation_declined"


def _job(params: dict[str, Any]) -> str:
    return choose(params.get("job"), params.get("job_en")).text


def _declined(params: dict[str, Any]) -> str:
    return _(
        "The person you invited to apply for %(job)s said no this time. Thank you for thinking of them.",
        job=_job(params),
    )


def declined(event: events.InvitationDeclined) -> Notice:
    return Notice(
        DECLINED,
        to=[event.referrer_id],
        params={"job": event.job_title, "job_en": event.job_title_en},
        link=url("invites.mine"),
        at=event.at,
    )


def init_app() -> None:
    register(DECLINED, _declined)
    notify_on(events.InvitationDeclined, declined)
