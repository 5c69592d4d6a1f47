"""Every change to the club's membership: a first hire or a level lets someone in (listeners),
HR appoints and removes members and moderators. Each change publishes
`events.ClubMembershipChanged`."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.accounts.models import User
from community.club.models import ClubMember, MemberSource
from community.core.errors import BAD_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND, DomainError
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.core.transaction import committed, insert_once
from community.extensions import db

MAX_REASON_CHARS = 300


class ClubError(DomainError):
    """A membership change refused."""


JOINED, LEFT, MODERATOR, NOT_MODERATOR = "joined", "left", "moderator", "not-moderator"


def _publish(row: ClubMember, change: str, actor: User | None, at: datetime) -> None:
    events.publish(
        events.ClubMembershipChanged(
            user_id=row.user_id,
            change=change,
            source=row.source.value,
            actor_id=actor.id if actor else None,
            at=at,
            reason=row.end_reason if change == LEFT else None,
        )
    )


def admit(
    user_id: int,
    source: MemberSource,
    *,
    referral_id: int | None = None,
    at: datetime | None = None,
) -> ClubMember | None:
    """Let `user_id` in because a hire or a level earned it, inside the caller's transaction.
    Once only: someone already in, or taken out by HR before, is left as they are (None).
    Two hires moved at once let them in once: the second insert finds the row and does nothing."""
    if db.session.get(ClubMember, user_id) is not None:
        return None
    at = at or utcnow()
    values = {"user_id": user_id, "source": source, "referral_id": referral_id, "joined_at": at}
    if insert_once(ClubMember, values, ["user_id"]) is None:
        return None
    row = db.session.get_one(ClubMember, user_id)
    _publish(row, JOINED, None, at)
    return row


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not person.is_active_account:
        raise ClubError(_("No such colleague."), status=NOT_FOUND)
    return person


def _check_hr(actor: User) -> None:
    if not is_hr(actor):
        raise ClubError(_("Only HR manages the club's members."), status=FORBIDDEN)


def appoint(actor: User, user_id: int) -> ClubMember:
    """HR makes a colleague a member (again, if they had left)."""
    with committed():
        _check_hr(actor)
        _person(user_id)
        row = db.session.get(ClubMember, user_id, with_for_update=True)
        at = utcnow()
        if row is not None and row.current:
            raise ClubError(_("They are already a member of the club."), status=CONFLICT)
        if row is None:
            row = ClubMember(user_id=user_id, source=MemberSource.APPOINTED, joined_at=at)
            db.session.add(row)
        else:
            row.source, row.joined_at, row.moderator = MemberSource.APPOINTED, at, False
            row.ended_at = row.ended_by_id = row.end_reason = None
        row.appointed_by_id = actor.id
        db.session.flush()
        _publish(row, JOINED, actor, at)
    return row


def _current(user_id: int) -> ClubMember:
    row = db.session.get(ClubMember, user_id, with_for_update=True)
    if row is None or not row.current:
        raise ClubError(_("They are not a member of the club."), status=NOT_FOUND)
    return row


def remove(actor: User, user_id: int, reason: str | None) -> ClubMember:
    """HR takes someone out of the club, with a reason they are told."""
    with committed():
        _check_hr(actor)
        reason = (reason or "").strip()
        if not reason:
            raise ClubError(_("Say why they leave the club."), status=BAD_INPUT)
        if len(reason) > MAX_REASON_CHARS:
            raise ClubError(
                ngettext(
                    "The reason is too long (at most %(num)s character).",
                    "The reason is too long (at most %(num)s characters).",
                    MAX_REASON_CHARS,
                ),
                status=BAD_INPUT,
            )
        row = _current(user_id)
        at = utcnow()
        row.ended_at, row.ended_by_id, row.end_reason, row.moderator = at, actor.id, reason, False
        db.session.flush()
        _publish(row, LEFT, actor, at)
    return row


def set_moderator(actor: User, user_id: int, moderator: bool) -> ClubMember:
    """HR makes a member a moderator of the club's forum, or takes that back."""
    with committed():
        _check_hr(actor)
        row = _current(user_id)
        if row.moderator == moderator:
            raise ClubError(
                _("They already moderate the club.")
                if moderator
                else _("They do not moderate the club."),
                status=CONFLICT,
            )
        row.moderator = moderator
        db.session.flush()
        _publish(row, MODERATOR if moderator else NOT_MODERATOR, actor, utcnow())
    return row
