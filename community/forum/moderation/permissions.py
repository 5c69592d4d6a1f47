"""Who may moderate and who may flag: small predicates shared by views, services and templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from community.club.membership import is_moderator
from community.forum.models import ForumPost

F = TypeVar("F", bound=Callable[..., Any])


def can_flag(user: Any, post: ForumPost) -> bool:
    """Anyone signed in may flag a visible post of someone else's."""
    return bool(
        getattr(user, "is_authenticated", False)
        and post.author_id != user.id
        and post.deleted_at is None
        and post.hidden_at is None
    )


def can_moderate_forum(user: Any) -> bool:
    """Reviews flags and reads the moderation log: the club's moderators and HR."""
    return is_moderator(user)


def moderator_required(view: F) -> F:
    """Only the club's moderators and HR; everyone else gets 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_moderate_forum(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
