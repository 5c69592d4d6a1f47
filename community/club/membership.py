"""Who is in the club, read once per request: `is_member`, `is_moderator` (HR moderates too)
and `mark` (what to show next to a name). The whole club is a small set of ids, so a page that
marks a hundred names asks the database once, not a hundred times; the memo lives in `g`, for
this request only, and is dropped when this request writes (`core.transaction.writes`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from sqlalchemy import select

from community.club.models import ClubMember
from community.core.permissions import is_hr
from community.core.transaction import writes
from community.extensions import db

_MEMO = "club_roster"


@dataclass(frozen=True)
class Roster:
    members: frozenset[int]
    moderators: frozenset[int]


def roster() -> Roster:
    """The current members and moderators (their user ids)."""
    if has_request_context():
        memo = getattr(g, _MEMO, None)
        if memo is not None and memo[0] == writes():
            return memo[1]
    rows = db.session.execute(
        select(ClubMember.user_id, ClubMember.moderator).where(ClubMember.ended_at.is_(None))
    ).all()
    found = Roster(
        members=frozenset(user_id for user_id, _ in rows),
        moderators=frozenset(user_id for user_id, moderator in rows if moderator),
    )
    if has_request_context():
        setattr(g, _MEMO, (writes(), found))
    return found


def _id(user: Any) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    if not getattr(user, "is_authenticated", True):
        return None
    return getattr(user, "id", None)


def is_member(user: Any) -> bool:
    """A current member of the club (`user` a person or an id)."""
    user_id = _id(user)
    return user_id is not None and user_id in roster().members


def is_moderator(user: Any) -> bool:
    """Moderates the club's forum: a moderator HR appointed among the members, or HR."""
    if not isinstance(user, int) and is_hr(user):
        return True
    user_id = _id(user)
    return user_id is not None and user_id in roster().moderators


def mark(user: Any) -> str | None:
    """ "moderator", "member" or None: the mark shown next to a name."""
    user_id = _id(user)
    if user_id is None:
        return None
    club = roster()
    if user_id in club.moderators:
        return "moderator"
    if user_id in club.members:
        return "member"
    return None
