"""Who may do what, in one place: small named predicates, a decorator, and load-or-abort helpers.

Every route needs a logged-in user unless it is marked `@public`. Views and templates both use the
same predicates (`can_view_referral(user, referral)`), so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_login import current_user

from community.accounts.models import Role

if TYPE_CHECKING:
    from community.accounts.models import User
    from community.jobs.models import Job
    from community.referrals.models import Referral

F = TypeVar("F", bound=Callable[..., Any])


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


# Predicates ---------------------------------------------------------------------------------


def is_hr(user: User) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.HR)


def can_manage_jobs(user: User) -> bool:
    return is_hr(user)


def can_view_job(user: User, job: Job) -> bool:
    """HR sees every job; everyone else sees open and closed ones, never a draft."""
    from community.jobs.models import JobStatus

    return job.status != JobStatus.DRAFT or can_manage_jobs(user)


def can_manage_users(user: User) -> bool:
    return is_hr(user)


def can_edit_rules(user: User) -> bool:
    return is_hr(user)


def can_review_referrals(user: User) -> bool:
    return is_hr(user)


def can_view_referral(user: User, referral: Referral) -> bool:
    """The referrer and HR see a referral, its candidate and its resume; nobody else does."""
    return is_hr(user) or referral.referrer_id == user.id


def can_withdraw_referral(user: User, referral: Referral) -> bool:
    stage = referral.stage
    return (is_hr(user) or referral.referrer_id == user.id) and not (
        stage.is_terminal or stage.is_hired
    )


def can_view_internal_notes(user: User) -> bool:
    return is_hr(user)


PREDICATES = {
    "is_hr": is_hr,
    "can_manage_jobs": can_manage_jobs,
    "can_manage_users": can_manage_users,
    "can_edit_rules": can_edit_rules,
    "can_review_referrals": can_review_referrals,
    "can_view_referral": can_view_referral,
    "can_withdraw_referral": can_withdraw_referral,
    "can_view_internal_notes": can_view_internal_notes,
}
