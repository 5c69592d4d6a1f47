"""The invited person's answers, through their personal link: opening it, accepting (consent
and apply: a referral with source "invite", through `submit_application`), declining, perhaps
for good (the salted hash of their contact joins the suppression list).

Every function is one transaction: it commits, or rolls back and raises (`LinkProblem` for a
link that leads to nothing to answer, the referral room's `ReferralError` for an application it
refuses) with a message in the reader's language, so a refusal writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.core.errors import CONFLICT, GONE, NOT_FOUND
from community.core.time import utcnow
from community.core.transaction import committed, insert_once
from community.extensions import db
from community.invites import tokens
from community.invites.errors import InviteError
from community.invites.models import (
    OPEN_STATUSES,
    Invitation,
    InvitationStatus,
    InviteSuppression,
)
from community.invites.services import clear_contact, lock_contact
from community.referrals.errors import ReferralError
from community.referrals.models import Referral, ReferralSource
from community.referrals.services.applications import DUPLICATE, Application, submit_application

logger = logging.getLogger(__name__)

# The invitation being accepted in this context: `link_referral` (a listener of
# ReferralSubmitted) marks it accepted inside the referral's own transaction.
_accepting: ContextVar[int | None] = ContextVar("invites_accepting", default=None)


class LinkProblem(InviteError):
    """The personal link does not lead to an invitation that can be answered; `code` says why:
    "forged", "gone" (withdrawn or deleted), "expired", "answered"."""


def locate(token: str, *, lock: bool = False) -> tuple[tokens.Reading, Invitation]:
    """The invitation of a personal link, or LinkProblem. Forged or altered: 404; genuine but
    withdrawn or deleted: 410. An expired or answered one is returned (the page says so)."""
    reading = tokens.read_token(token)
    if reading is None:
        raise LinkProblem(
            _("This invitation link is not valid. Please check that it was copied whole."),
            status=NOT_FOUND,
            code="forged",
        )
    statement = select(Invitation).where(Invitation.id == reading.invitation_id)
    invitation = db.session.scalars(statement.with_for_update() if lock else statement).first()
    if (
        invitation is None
        or invitation.key != reading.key
        or invitation.status == InvitationStatus.WITHDRAWN
    ):
        raise LinkProblem(_("This invitation is no longer available."), status=GONE, code="gone")
    return reading, invitation


def _answerable(token: str, now: datetime) -> Invitation:
    """The invitation of `token`, locked, if it may still be accepted."""
    _reading, invitation = locate(token, lock=True)
    status = invitation.status_at(now)
    if status == InvitationStatus.EXPIRED:
        raise LinkProblem(_("This invitation has expired."), status=GONE, code="expired")
    if status not in OPEN_STATUSES or invitation.answered_at is not None:
        raise LinkProblem(
            _("You have already answered this invitation. Thank you."),
            status=CONFLICT,
            code="answered",
        )
    return invitation


def mark_opened(invitation: Invitation) -> None:
    """The person opened their link: the referrer's list says "opened" (once)."""
    if invitation.status == InvitationStatus.PENDING and invitation.status_at(utcnow()) == (
        InvitationStatus.PENDING
    ):
        with committed():
            invitation.status = InvitationStatus.OPENED
            invitation.opened_at = utcnow()


@contextmanager
def _accepting_now(invitation_id: int) -> Iterator[None]:
    mark = _accepting.set(invitation_id)
    try:
        yield
    finally:
        _accepting.reset(mark)


def accept_invitation(token: str, application: Application) -> Referral | None:
    """The invited person consents to the privacy notice and applies: their application becomes
    a referral the referrer owns, with source "invite" (`submit_application`: the same rules as
    any application), and the invitation is accepted in that same transaction.

    Returns the referral; None when the person is already someone's candidate (nothing is
    written, nobody learns who; the page thanks them as for any application, and no reminder
    follows). Raises LinkProblem for a link that cannot be answered, ReferralError for an
    application refused (its field named)."""
    now = utcnow()
    try:
        invitation = _answerable(token, now)
        application.locale = application.locale or invitation.locale
        with _accepting_now(invitation.id):
            referral = submit_application(
                invitation.referrer, invitation.job, application, ReferralSource.INVITE
            )
    except ReferralError as exc:
        db.session.rollback()
        if exc.code != DUPLICATE:
            raise
        with committed():  # the person did answer: no reminder, no status the referrer reads
            _reading, invitation = locate(token, lock=True)
            invitation.answered_at = now
        return None
    except Exception:
        db.session.rollback()
        raise
    return referral


def link_referral(event: events.ReferralSubmitted) -> None:
    """Listener of ReferralSubmitted: the referral that an invitation being accepted became
    marks it accepted and clears its contact, and the referrer is told (InvitationAccepted),
    all in the referral's transaction."""
    invitation_id = _accepting.get()
    if invitation_id is None or getattr(event, "source", None) != ReferralSource.INVITE.value:
        return
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.referrer_id != event.referrer_id
        or invitation.job_id != event.job_id
    ):
        return
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = event.at
    invitation.referral_id = event.referral_id
    clear_contact(invitation)
    events.publish(
        events.InvitationAccepted(
            invitation_id=invitation.id,
            referrer_id=invitation.referrer_id,
            job_id=invitation.job_id,
            job_title=invitation.job.title,
            job_title_en=invitation.job.title_en,
            referral_id=event.referral_id,
            candidate_name=event.candidate_name,
            at=event.at,
        )
    )


def _decline(invitation: Invitation, now: datetime, never_again: bool) -> None:
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = now
    clear_contact(invitation)
    events.publish(
        events.InvitationDeclined(
            invitation_id=invitation.id,
            referrer_id=invitation.referrer_id,
            job_id=invitation.job_id,
            job_title=invitation.job.title,
            job_title_en=invitation.job.title_en,
            never_again=never_again,
            at=now,
        )
    )


def decline_invitation(token: str, never_again: bool = False) -> Invitation:
    """The invited person says no. With `never_again` their contact's salted hash joins the
    suppression list (nobody can invite them again) and every other open invitation to them is
    declined too; an invitation that expired, or that they declined before, can still be turned
    into "never again" while it exists."""
    with committed():
        now = utcnow()
        _reading, invitation = locate(token, lock=True)
        status = invitation.status_at(now)
        allowed: tuple[InvitationStatus, ...] = OPEN_STATUSES
        if never_again:
            allowed = (*OPEN_STATUSES, InvitationStatus.EXPIRED, InvitationStatus.DECLINED)
        if status not in allowed:
            if status == InvitationStatus.EXPIRED:
                raise LinkProblem(_("This invitation has expired."), status=GONE, code="expired")
            raise LinkProblem(
                _("You have already answered this invitation. Thank you."),
                status=CONFLICT,
                code="answered",
            )
        if status != InvitationStatus.DECLINED:
            _decline(invitation, now, never_again)
        if never_again:
            lock_contact(invitation.contact_hash)
            insert_once(
                InviteSuppression,
                {"contact_hash": invitation.contact_hash, "created_at": now},
                ["contact_hash"],
            )
            others = db.session.scalars(
                select(Invitation)
                .where(
                    Invitation.contact_hash == invitation.contact_hash,
                    Invitation.id != invitation.id,
                    Invitation.status.in_(OPEN_STATUSES),
                )
                .order_by(Invitation.id)
                .with_for_update()
            ).all()
            for other in others:
                _decline(other, now, True)
    logger.info("invitation %s declined%s", invitation.id, " for good" if never_again else "")
    return invitation
