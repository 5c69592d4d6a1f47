"""Every change to one's network: add, edit and delete a contact, delete them all, and write an
import the person confirmed. Each checks, writes and commits; a refusal writes nothing. Only the
owner ever changes their contacts: every write takes the owner and finds the contact among
theirs (`queries.get_own`).

Deleting a contact also forgets what the outreach coach kept about messages drafted for them
(`OutreachSketch`); deleting all forgets every sketch of the person."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from community.accounts.models import User
from community.core.errors import CONFLICT, NOT_FOUND
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.network import queries, sketches
from community.network.coach import (
    Draft,
    checklist,
    draft_message,
    next_slot,
    oversold,
    similar_count,
)
from community.network.models import (
    Closeness,
    NetworkContact,
    NetworkTag,
    OutreachSketch,
    TagKind,
)
from community.network.rules import (
    MAX_NAME,
    CheckedContact,
    ContactFields,
    NetworkError,
    check,
    fold,
    known_zones,
    read_closeness,
    too_long,
)
from community.network.wording import LANGUAGES

logger = logging.getLogger(__name__)


def recipient_key(contact_id: int | None, name: str = "") -> str:
    """Who a drafted message is for, as a hash: a contact by id, a free name by its folding."""
    raw = f"contact:{contact_id}" if contact_id else f"name:{fold(name)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def max_contacts() -> int:
    return int(current_app.config["NETWORK_MAX_CONTACTS"])


def _lock_owner(owner_id: int) -> None:
    """Lock the owner's user row until the transaction ends: two tabs adding, importing or
    deleting at once take turns, so the size limit and the delete-all count hold on PostgreSQL."""
    db.session.execute(select(User.id).where(User.id == owner_id).with_for_update())


def _room_for(owner_id: int, adding: int) -> None:
    _lock_owner(owner_id)
    limit = max_contacts()
    if queries.count(owner_id) + adding > limit:
        raise NetworkError(
            ngettext(
                "Your network can hold at most %(num)s contact.",
                "Your network can hold at most %(num)s contacts.",
                limit,
            ),
            status=CONFLICT,
        )


def set_tags(contact: NetworkContact, tags: dict[TagKind, list[str]]) -> None:
    """Make the contact's tags exactly `tags` (labels by kind); a tag kept keeps its row."""
    wanted = {(kind, fold(label)): label for kind, labels in tags.items() for label in labels}
    for tag in list(contact.tags):
        if (tag.kind, tag.key) not in wanted:
            contact.tags.remove(tag)
    have = {(tag.kind, tag.key) for tag in contact.tags}
    for (kind, key), label in wanted.items():
        if (kind, key) not in have:
            contact.tags.append(
                NetworkTag(owner_id=contact.owner_id, kind=kind, label=label, key=key[:40])
            )


def _write(contact: NetworkContact, checked: CheckedContact) -> None:
    contact.name = checked.name
    contact.name_key = checked.name_key[:120]
    contact.how_known = checked.how_known
    contact.closeness = checked.closeness
    contact.last_contact_on = checked.last_contact_on
    contact.notes = checked.notes
    contact.email = checked.email
    contact.email_key = checked.email_key
    contact.phone = checked.phone
    contact.timezone = checked.timezone
    contact.updated_at = utcnow()
    set_tags(contact, checked.tags)


def add_contact(owner: User, fields: ContactFields) -> NetworkContact:
    """Add a contact to the owner's network."""
    with committed():
        checked = check(fields)
        _room_for(owner.id, 1)
        contact = NetworkContact(owner_id=owner.id, created_at=utcnow())
        _write(contact, checked)
        db.session.add(contact)
    return contact


def update_contact(owner: User, contact_id: int, fields: ContactFields) -> NetworkContact:
    """Change one of the owner's contacts (someone else's is refused as missing)."""
    with committed():
        contact = queries.get_own(owner.id, contact_id)
        _write(contact, check(fields))
    return contact


def _forget_drafts(owner_id: int, contact_id: int | None = None) -> None:
    statement = delete(OutreachSketch).where(OutreachSketch.owner_id == owner_id)
    if contact_id is not None:
        statement = statement.where(OutreachSketch.recipient_key == recipient_key(contact_id))
    db.session.execute(statement)


def delete_contact(owner: User, contact_id: int) -> str:
    """Delete one of the owner's contacts (and what the coach kept about them); their name."""
    with committed():
        contact = queries.get_own(owner.id, contact_id)
        name = contact.name
        _forget_drafts(owner.id, contact.id)
        db.session.delete(contact)
    logger.info("network contact %s deleted by its owner %s", contact_id, owner.id)
    return name


def delete_all(owner: User, expected: int) -> int:
    """Delete every contact of the owner, who confirmed they delete `expected` of them (a count
    that changed since, in another tab, is refused so that nobody deletes what they did not see)."""
    with committed():
        _lock_owner(owner.id)
        owned = queries.count(owner.id)
        if owned != expected:
            raise NetworkError(
                _("Your network changed since you asked. Look at it again before deleting it."),
                status=CONFLICT,
            )
        contact_ids = select(NetworkContact.id).where(NetworkContact.owner_id == owner.id)
        db.session.execute(delete(NetworkTag).where(NetworkTag.contact_id.in_(contact_ids)))
        db.session.execute(delete(NetworkContact).where(NetworkContact.owner_id == owner.id))
        _forget_drafts(owner.id)
    logger.info("network of %s deleted by its owner (%s contacts)", owner.id, owned)
    return owned


# Imports -------------------------------------------------------------------------------------


def merge_into(contact: NetworkContact, incoming: CheckedContact) -> None:
    """Merge an imported duplicate into a contact: the contact's own values win (the person's
    own judgement of closeness included), what it lacks is filled in, tags are joined, the
    later last contact is kept and new notes are added below the old."""
    contact.how_known = contact.how_known or incoming.how_known
    contact.email = contact.email or incoming.email
    contact.email_key = contact.email_key or incoming.email_key
    contact.phone = contact.phone or incoming.phone
    contact.timezone = contact.timezone or incoming.timezone
    if incoming.last_contact_on and (
        not contact.last_contact_on or incoming.last_contact_on > contact.last_contact_on
    ):
        contact.last_contact_on = incoming.last_contact_on
    if incoming.notes and incoming.notes not in (contact.notes or ""):
        joined = f"{contact.notes}\n{incoming.notes}".strip()
        contact.notes = joined[:2000]
    current = {kind: contact.tags_of(kind) for kind in TagKind}
    joined_tags = {
        kind: (current[kind] + [t for t in incoming.tags.get(kind, []) if t not in current[kind]])
        for kind in TagKind
    }
    set_tags(contact, {kind: labels[:15] for kind, labels in joined_tags.items()})
    contact.updated_at = utcnow()


def write_import(owner: User, rows: list[CheckedContact]) -> tuple[int, int]:
    """Write an import the owner confirmed (`network.imports` planned it again against their
    network as it is now): (how many added, how many merged). All or nothing."""
    from community.network.imports import plan

    with committed():
        _lock_owner(owner.id)
        planned = plan(owner.id, rows)
        _room_for(owner.id, len(planned.added))
        for checked in planned.added:
            contact = NetworkContact(owner_id=owner.id, created_at=utcnow())
            _write(contact, checked)
            db.session.add(contact)
        for contact, incoming in planned.merges:
            merge_into(contact, incoming)
    logger.info(
        "network import by %s: %s added, %s merged",
        owner.id,
        len(planned.added),
        len(planned.merges),
    )
    return len(planned.added), len(planned.merges)


# The outreach coach --------------------------------------------------------------------------

MAX_REASON = 500
MAX_MESSAGE = 5000


@dataclass
class CoachRequest:
    """What the coach is asked: a job, one of the person's contacts or a free name (with its
    closeness and zone), the referrer's reason, the language for the candidate, and, when the
    person rewrote the draft, their own message to check again."""

    job_id: int | None = None
    contact_id: int | None = None
    name: str = ""
    closeness: str = Closeness.ORDINARY
    timezone: str = ""
    reason: str = ""
    language: str = "zh"
    message: str | None = None


@dataclass
class Coached:
    job: Job
    contact: NetworkContact | None
    name: str
    draft: Draft


def open_job(job_id: int | None) -> Job:
    """An open job; the same 404 refusal for a draft, a closed job and none."""
    job = db.session.get(Job, job_id) if job_id else None
    if job is None or job.status != JobStatus.OPEN:
        raise NetworkError(_("There is no such open job."), field="job_id", status=NOT_FOUND)
    return job


def coach(owner: User, request: CoachRequest, now: datetime | None = None) -> Coached:
    """Draft (or check again) a message for one person and one job, and remember its sketch:
    the next draft for someone else that is nearly the same is flagged as generic."""
    with committed():
        job = open_job(request.job_id)
        contact = queries.get_own(owner.id, request.contact_id) if request.contact_id else None
        if contact is not None:
            name, closeness, zone = contact.name, contact.closeness, contact.timezone
        else:
            name = " ".join((request.name or "").split())
            if not name:
                raise NetworkError(_("Choose a contact or write the person's name."), field="name")
            if len(name) > MAX_NAME:
                raise NetworkError(too_long(MAX_NAME), field="name")
            closeness = read_closeness(request.closeness)
            if closeness is None:
                raise NetworkError(_("Choose close, ordinary or acquaintance."), field="closeness")
            zone = (request.timezone or "").strip() or None
            if zone and zone not in known_zones():
                raise NetworkError(
                    _("Choose a time zone from the list, e.g. Asia/Shanghai."), field="timezone"
                )
        reason = (request.reason or "").strip()
        if len(reason) > MAX_REASON:
            raise NetworkError(too_long(MAX_REASON), field="reason")
        language = request.language if request.language in LANGUAGES else "zh"
        subject, message, talking = draft_message(
            job,
            name=name,
            closeness=closeness,
            reason=reason,
            language=language,
            sender=owner.shown_name,
        )
        if request.message is not None and request.message.strip():
            message = request.message.strip()
            if len(message) > MAX_MESSAGE:
                raise NetworkError(too_long(MAX_MESSAGE), field="message")
        why, hard, next_step = checklist(message, reason, job)
        key = recipient_key(contact.id if contact else None, name)
        mine = sketches.sketch(message, name)
        others = db.session.scalars(
            select(OutreachSketch.sketch).where(
                OutreachSketch.owner_id == owner.id, OutreachSketch.recipient_key != key
            )
        ).all()
        draft = Draft(
            language=language,
            closeness=closeness,
            subject=subject,
            message=message,
            talking_points=talking,
            slot=next_slot(now or utcnow(), zone),
            why=why,
            hard=hard,
            next_step=next_step,
            oversold=oversold(message),
            similar=similar_count(mine, list(others)),
            sketch=mine,
        )
        _remember(owner.id, key, job.id, mine)
    return Coached(job=job, contact=contact, name=name, draft=draft)


def _remember(owner_id: int, key: str, job_id: int, sketch: list[int]) -> None:
    kept = db.session.scalars(
        select(OutreachSketch).where(
            OutreachSketch.owner_id == owner_id,
            OutreachSketch.recipient_key == key,
            OutreachSketch.job_id == job_id,
        )
    ).first()
    if kept is None:
        kept = OutreachSketch(owner_id=owner_id, recipient_key=key, job_id=job_id)
        db.session.add(kept)
    kept.sketch = sketch
    kept.updated_at = utcnow()
