"""Invitation writes, the referrer's side: sending one and withdrawing it. (The invited person's
answers — accepting, declining — are `invites.answers`.)

Every function is one transaction: it commits, or rolls back and raises `InviteError` with a
message in the reader's language, so a refusal writes nothing. The person's contact lives on the
invitation only while it may still be answered: accepting, declining and withdrawing clear it
(`clear_contact`; its masked hint stays for the referrer); the worker deletes the rest
(`invites.duties`).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select, text

from community import events
from community.accounts.models import User
from community.config import SUPPORTED_LOCALES
from community.core.emails import email_identity, matches_email
from community.core.errors import CONFLICT, NOT_FOUND
from community.core.time import to_local, utcnow
from community.core.transaction import committed
from community.extensions import db
from community.invites import messages, tokens
from community.invites.contacts import Contact, parse_contact
from community.invites.errors import InviteError
from community.invites.models import (
    OPEN_STATUSES,
    Channel,
    Invitation,
    InvitationStatus,
    InviteSuppression,
    TextMessage,
)
from community.invites.permissions import owns_invitation
from community.jobs.models import Job
from community.referrals.errors import ReferralError
from community.referrals.services import check_eligibility

logger = logging.getLogger(__name__)

MAX_NOTE = 500
TOO_MANY = 429


def days(setting: str, default: int) -> timedelta:
    return timedelta(days=int(current_app.config.get(setting, default)))


# The referrer's side ---------------------------------------------------------------------------


def _check_job(referrer: User, job_id: int | None) -> Job:
    job = db.session.get(Job, job_id) if job_id else None
    if job is None:
        raise InviteError(_("Please choose an open job."), field="job_id")
    try:
        check_eligibility(referrer, job)
    except ReferralError as exc:  # the job is not open, or the department is not in the program
        raise InviteError(exc.message, field="job_id", status=exc.status) from None
    return job


def _check_person(referrer: User, contact: Contact) -> None:
    """Refuse oneself and a colleague."""
    if contact.channel != Channel.EMAIL:
        return  # accounts have no phone numbers to compare
    if contact.identity == email_identity(referrer.email):
        raise InviteError(_("That is your own address: invite someone else."), field="contact")
    if db.session.scalar(
        select(func.count(User.id)).where(matches_email(User.email_key, contact.value))
    ):
        raise InviteError(
            _(
                "This person already works here, so they cannot be invited. Internal moves go through HR."
            ),
            field="contact",
        )


def _check_not_suppressed(contact: Contact) -> None:
    suppressed = db.session.scalar(
        select(func.count(InviteSuppression.id)).where(
            InviteSuppression.contact_hash == contact.hashed
        )
    )
    if suppressed:
        # Deliberately no more than this: not when, not for which job, not by whose invitation.
        raise InviteError(
            _("This person asked not to be invited."), field="contact", status=CONFLICT
        )


def lock_contact(hashed: str) -> None:
    """On PostgreSQL, serialize what is done to one person's invitations (sending, "never
    again") until this transaction ends, so two referrers inviting them at the same moment
    cannot both, and no invitation slips past their "never again"."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite serialises writers
    digest = hashlib.sha256(f"invitation:{hashed}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def _check_not_invited(referrer: User, job: Job, contact: Contact, now: datetime) -> None:
    open_ones = db.session.scalars(
        select(Invitation.referrer_id).where(
            Invitation.contact_hash == contact.hashed,
            Invitation.job_id == job.id,
            Invitation.status.in_(OPEN_STATUSES),
            Invitation.expires_at > now,
        )
    ).all()
    if referrer.id in open_ones:
        raise InviteError(
            _("You have already invited this person to this job; the invitation is still open."),
            field="contact",
            status=CONFLICT,
        )
    if open_ones:
        # The same words whoever invited them: nothing about the other referrer.
        raise InviteError(
            _(
                "This person already has an open invitation to this job, so we will not send another."
            ),
            field="contact",
            status=CONFLICT,
        )


def sent_today(referrer_id: int, now: datetime) -> int:
    """How many invitations the referrer sent since midnight in the company's zone."""
    midnight = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since = midnight.astimezone(UTC).replace(tzinfo=None)
    return int(
        db.session.scalar(
            select(func.count(Invitation.id)).where(
                Invitation.referrer_id == referrer_id, Invitation.created_at >= since
            )
        )
        or 0
    )


def _check_daily_limit(referrer: User, now: datetime) -> None:
    # The referrer's row is locked, so two sends at once count one after the other (NO KEY
    # UPDATE: a notification to the referrer written meanwhile need not wait for it).
    db.session.execute(
        select(User.id).where(User.id == referrer.id).with_for_update(key_share=True)
    )
    most = int(current_app.config.get("INVITATIONS_PER_DAY", 10))
    if sent_today(referrer.id, now) >= most:
        raise InviteError(
            ngettext(
                "You have sent %(num)d invitation today, the most for one day. Please try again tomorrow.",
                "You have sent %(num)d invitations today, the most for one day. Please try again tomorrow.",
                most,
            ),
            status=TOO_MANY,
        )


def _clean_note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise InviteError(
            ngettext(
                "Too long: at most %(num)d character.",
                "Too long: at most %(num)d characters.",
                MAX_NOTE,
            ),
            field="note",
        )
    return text


def _check_locale(locale: str | None) -> str:
    if locale not in SUPPORTED_LOCALES:
        raise InviteError(_("Choose the language to write to them in."), field="locale")
    return str(locale)


def send_invitation(
    referrer: User, job_id: int | None, contact: str | None, locale: str | None, note: str | None
) -> Invitation:
    """Invite the person at `contact` (an e-mail address or a mobile number) to apply to the job,
    writing to them in `locale`, with the referrer's optional `note`.

    Refused with nothing written (InviteError, its field named where there is one): no open job
    or the referrer's department not in the program, a contact that is neither an address nor
    a number, the referrer's own address, a colleague's, someone who asked not to be invited,
    someone with an open invitation to this job, a note too long, or more than INVITATIONS_PER_DAY
    today (429). The message (e-mail or SMS) is queued in the same transaction; the worker
    sends it. Publishes `events.InvitationSent`."""
    with committed():
        job = _check_job(referrer, job_id)
        person = parse_contact(contact)
        chosen = _check_locale(locale)
        note_text = _clean_note(note)
        _check_person(referrer, person)
        now = utcnow()
        lock_contact(person.hashed)  # first: "never again" holds it while it tells referrers
        _check_daily_limit(referrer, now)
        _check_not_suppressed(person)
        _check_not_invited(referrer, job, person, now)
        invitation = Invitation(
            referrer=referrer,
            job=job,
            channel=person.channel,
            contact=person.value,
            contact_hint=person.hint,
            contact_hash=person.hashed,
            locale=chosen,
            note=note_text,
            key=tokens.new_key(),
            status=InvitationStatus.PENDING,
            created_at=now,
            expires_at=now + days("INVITATION_EXPIRY_DAYS", 14),
        )
        db.session.add(invitation)
        db.session.flush()
        messages.deliver(invitation, reminder=False)
        events.publish(
            events.InvitationSent(
                invitation_id=invitation.id,
                referrer_id=referrer.id,
                job_id=job.id,
                channel=invitation.channel.value,
                locale=chosen,
                at=now,
            )
        )
    logger.info("invitation %s sent by user %s for job %s", invitation.id, referrer.id, job.id)
    return invitation


def clear_contact(invitation: Invitation) -> None:
    """The person's contact goes; the masked hint stays for the referrer. Its e-mails leave the
    outbox and a text message not sent yet goes too."""
    invitation.contact = None
    messages.forget(invitation)
    db.session.execute(delete(TextMessage).where(TextMessage.invitation_id == invitation.id))


def withdraw_invitation(referrer: User, invitation_id: int) -> Invitation:
    """Take back one's own open invitation (a wrong number, a change of mind): its link stops
    working and its contact is cleared. Someone else's answers 404, as a missing one."""
    with committed():
        invitation = db.session.scalars(
            select(Invitation).where(Invitation.id == invitation_id).with_for_update()
        ).first()
        if invitation is None or not owns_invitation(referrer, invitation):
            raise InviteError(_("We could not find that invitation."), status=NOT_FOUND)
        now = utcnow()
        if invitation.status_at(now) not in OPEN_STATUSES:
            raise InviteError(
                _("This invitation has already been answered or has expired."), status=CONFLICT
            )
        invitation.status = InvitationStatus.WITHDRAWN
        invitation.answered_at = now
        clear_contact(invitation)
    logger.info("invitation %s withdrawn by its referrer", invitation.id)
    return invitation
