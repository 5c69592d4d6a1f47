"""Who is shown on the public boards, and moving a person when that changes.

Not shown: deactivated people, people who opted out, and HR staff when LEADERBOARD_EXCLUDE_HR.
They are kept in the sibling `hidden` set of each board instead of the public one (see `keys`),
so top lists and ranks stay single O(log N) reads and they can still see privately where they
would stand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import redis
from flask import current_app
from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from community import events
from community.accounts.models import Role, User
from community.core.transaction import after_commit
from community.extensions import db
from community.leaderboards import connection, keys, kinds, scripts

logger = logging.getLogger(__name__)


def hr_excluded() -> bool:
    return bool(current_app.config.get("LEADERBOARD_EXCLUDE_HR", True))


def is_hidden(user: User) -> bool:
    """Not shown on public boards: deactivated, opted out, or HR staff (when configured)."""
    return (
        not user.is_active_account
        or bool(user.leaderboard_opt_out)
        or (hr_excluded() and user.role == Role.HR)
    )


def hidden_conditions() -> list[ColumnElement[bool]]:
    """The SQL form of `is_hidden`."""
    hidden = [User.is_active_account.is_(False), User.leaderboard_opt_out.is_(True)]
    if hr_excluded():
        hidden.append(User.role == Role.HR)
    return hidden


def hidden_user_ids(
    session: Session | Connection, user_ids: Iterable[int] | None = None
) -> set[int]:
    """Ids of the people `is_hidden` is true for, as one column query (fast for a rebuild)."""
    query = select(User.id).where(or_(*hidden_conditions()))
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    return set(session.scalars(query))


def refresh_visibility(user_id: int, scope: str | None = None) -> int:
    """Move a person between the public and hidden side of every board (or of one scope's) after
    their visibility changed, or a challenge set them aside or back. A board's hidden side is
    theirs when they are hidden everywhere or set aside on that scope (`kinds.aside_scopes`).
    Best effort (a miss shows in `verify`, `rebuild` mends it, and the projection writes their
    next entry to the right side): returns how many boards moved."""
    with Session(db.engine) as session:  # (runs after a commit: its own short transaction)
        user = session.get(User, user_id)
        if user is None:
            return 0
        hidden, aside = is_hidden(user), kinds.aside_scopes(session, user_id)
    try:
        client = connection.client()
        pairs: list[str] = []
        boards = {keys.parse_key(key)[1] for key in keys.live_keys(client)}  # type: ignore[index]
        for board in sorted(boards, key=lambda b: b.key):
            if scope is not None and board.scope != scope:
                continue
            hide = hidden or board.scope in aside
            pairs += [board.key, board.hidden_key] if hide else [board.hidden_key, board.key]
        if not pairs:
            return 0
        return int(client.eval(scripts.MOVE, len(pairs), *pairs, str(user_id)))
    except redis.exceptions.RedisError as exc:
        connection.trip(exc)
        logger.warning("leaderboards: could not move user %s (%s); run rebuild", user_id, exc)
        return 0


def person_changed(event: events.PersonChanged) -> None:
    """Listener: once the change is committed, show or hide the person on every board."""
    if event.fields & {"leaderboard_opt_out", "is_active_account", "role"}:
        user_id = event.user_id
        after_commit(f"leaderboards:visibility:{user_id}", lambda: refresh_visibility(user_id))
