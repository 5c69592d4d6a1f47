"""Who may do what: `@public`, `roles_required`, and the predicates every room builds on.

Every route needs a logged-in user unless it is marked `@public`. A rule is a small named
predicate (`is_hr(user)`, `referrals.permissions.can_view_referral(user, referral)`) that views,
services and templates share, so it is written once. This module holds the rules about roles
alone; a room keeps the rules about its own things in its `permissions.py` and `expose`s them to
templates. Like all of `core`, it imports no domain: a user is anything with `role` and
`is_authenticated`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import Flask, abort
from flask_login import current_user

from community.core.roles import Role

F = TypeVar("F", bound=Callable[..., Any])


class Person(Protocol):
    id: int
    role: Role
    is_authenticated: bool


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    view._public = True  # type: ignore[attr-defined]
    return view


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow only users with one of `roles`; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


hr_required = roles_required(Role.HR)


def is_hr(user: Person | None) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.HR)


def can_manage_users(user: Person) -> bool:
    return is_hr(user)


def expose(app: Flask, *predicates: Callable[..., bool]) -> None:
    """Make predicates callable from templates by their names."""
    app.jinja_env.globals.update({predicate.__name__: predicate for predicate in predicates})


def init_app(app: Flask) -> None:
    expose(app, is_hr, can_manage_users)
