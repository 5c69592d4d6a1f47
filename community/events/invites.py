"""Events of one-click invitations (community/invites). None carries a contact: they say that
something happened to an invitation, for the referrer's notices and for analytics later."""

from __future__ import annotations

from datetime import datetime

from community.events.bus import Event, _event


@_event("invitation-sent")
class InvitationSent(Event):
    """A referrer invited someone to apply to a job (`invites.services.send_invitation`).
    `channel`: "email" or "sms"; `locale`: the language the person was invited in.
    Listeners: none yet (analytics)."""

    invitation_id: int
    referrer_id: int
    job_id: int
    channel: str
    locale: str
    at: datetime


@_event("invitation-accepted")
class InvitationAccepted(Event):
    """The invited person consented and applied: their application is the referral
    `referral_id`, source "invite" (`invites.answers.accept_invitation`, inside the
    transaction of `events.ReferralSubmitted`). `candidate_name`: the name they gave.
    Listeners: invites (tell the referrer)."""

    invitation_id: int
    referrer_id: int
    job_id: int
    job_title: str
    job_title_en: str | None
    referral_id: int
    candidate_name: str
    at: datetime


@_event("invitation-declined")
class InvitationDeclined(Event):
    """The invited person said no (`invites.answers.decline_invitation`); `never_again`: they
    asked never to be invited again, which also declines their other open invitations (each
    published). Listeners: invites (tell the referrer, who is never told "never again")."""

    invitation_id: int
    referrer_id: int
    job_id: int
    job_title: str
    job_title_en: str | None
    never_again: bool
    at: datetime


@_event("invitation-expired")
class InvitationExpired(Event):
    """Nobody answered an invitation in INVITATION_EXPIRY_DAYS (the worker's `invites.keep-time`).
    Listeners: none yet (analytics)."""

    invitation_id: int
    referrer_id: int
    job_id: int
    at: datetime
