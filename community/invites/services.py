"""Invitation writes: a referrer sends or withdraws one; the invited person accepts (consents and
applies: a referral with source "invite"), or declines, perhaps for good.

Every function is one transaction: it commits, or rolls back and raises (`InviteError`, or the
referral room's `ReferralError` for an application it refuses) with a message in the reader's
language, so a refusal writes nothing. The person's contact lives on the invitation only while
it may still be answered: accepting, declining and withdrawing clear it (its masked hint stays
for the referrer); the worker deletes the rest (`invites.duties`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select, text

from community import events
from community.accounts.models import User
from community.config import SUPPORTED_LOCALES
from community.core.emails import email_identity, matches_email
from community.core.errors import CONFLICT, GONE, NOT_FOUND
from community.core.time import to_local, utcnow
from community.core.transaction import committed, insert_once
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
from community.referrals.models import Referral, ReferralSource
from community.referrals.services import check_eligibility
from community.referrals.services.applications import DUPLICATE, Application, submit_application

logger = logging.getLogger(__name__)

MAX_NOTE = 500
TOO_MANY = 429

# The invitation being accepted in this context: `link_referral` (a listener of
# ReferralSubmitted) marks it accepted inside the referral's own transaction.
_accepting: ContextVar[int | None] = ContextVar("invites_accepting", default=None)


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


def _lock_contact(hashed: str) -> None:
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
        _lock_contact(person.hashed)  # first: "never again" holds it while it tells referrers
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


def _clear_contact(invitation: Invitation) -> None:
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
        _clear_contact(invitation)
    logger.info("invitation %s withdrawn by its referrer", invitation.id)
    return invitation


# The invited person's side ---------------------------------------------------------------------


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
    _clear_contact(invitation)
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
    _clear_contact(invitation)
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
            _lock_contact(invitation.contact_hash)
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
