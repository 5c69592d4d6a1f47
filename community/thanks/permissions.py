"""Who may do what on the thanks wall, as named predicates for the services and the templates."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.core.permissions import expose, is_hr
from community.thanks.models import ThanksKind, ThanksPost


def can_hide_posts(user: Any) -> bool:
    """Moderation is HR's."""
    return is_hr(user)


def can_react(user: Any, post: ThanksPost) -> bool:
    """Colleagues cheer a post; nobody applauds their own thanks (a winner the winners post
    names, included) or their own announcement."""
    if not (user and user.is_authenticated) or post.hidden_at is not None:
        return False
    if post.kind == ThanksKind.ANNOUNCEMENT:
        return post.author_id != user.id
    if post.kind == ThanksKind.CHALLENGE_WINNERS:
        return all(winner.user_id != user.id for winner in post.winners)
    return post.subject_id != user.id


def init_app(app: Flask) -> None:
    expose(app, can_hide_posts, can_react)
