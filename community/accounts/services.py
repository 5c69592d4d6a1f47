"""Account writes: departments, people, deactivation, personal settings, sign-in.

Every function here that changes state commits (or rolls back) itself, so a route never leaves
anything half-written. Errors a person can cause are raised as `AccountError` with a message in
the current user's language. A change to what the leaderboards show of a person (name, opt-out,
activation) is published as `events.PersonChanged`. Set-password links live in `passwords`,
CSV imports in `imports`.
"""

from __future__ import annotations

import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from community import events
from community.accounts.errors import AccountError
from community.accounts.models import Department, PasswordToken, Role, User
from community.accounts.passwords import new_password_token
from community.config import SUPPORTED_LOCALES
from community.core.emails import EmailError, normalise_email
from community.core.errors import CONFLICT
from community.core.localized import paired_text
from community.core.time import utcnow
from community.extensions import db

__all__ = ["AccountError"]

logger = logging.getLogger(__name__)

NAME_MAX = 120
DEPARTMENT_MAX = 120


def checked_email(raw: str | None) -> str:
    """The normalised address, or AccountError (field "email") when it is missing or invalid."""
    try:
        email = normalise_email(raw)
    except EmailError as exc:
        raise AccountError(exc.message, field="email") from None
    if email is None:
        raise AccountError(_("Email is missing."), field="email")
    return email


def email_taken(email: str, exclude_id: int | None = None) -> bool:
    stmt = select(User.id).where(func.lower(User.email) == email.lower())
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    return db.session.scalars(stmt).first() is not None


def find_department(name: str) -> Department | None:
    """The department called `name` in either language, regardless of case and spaces."""
    key = " ".join(name.split()).casefold()
    return db.session.scalars(
        select(Department).where(
            or_(func.lower(Department.name) == key, func.lower(Department.name_en) == key)
        )
    ).first()


def clean_name(raw: str | None) -> str:
    return " ".join((raw or "").split())


# Departments --------------------------------------------------------------------------------


def _department_names(name: str, name_en: str, department: Department | None) -> tuple[str, str]:
    """(base, English) names for a department, or AccountError: at least one name, each short
    enough, and none another department already has in either language."""
    base, english = paired_text(clean_name(name), clean_name(name_en))
    if not base:
        raise AccountError(
            _("Enter the department's name in Chinese, in English, or both."), field="name"
        )
    for value, field in ((base, "name" if clean_name(name) else "name_en"), (english, "name_en")):
        if len(value) > DEPARTMENT_MAX:
            raise AccountError(_("Department name is too long."), field=field)
        other = find_department(value) if value else None
        if other is not None and other is not department:
            raise AccountError(
                _("A department called “%(name)s” already exists.", name=value), field=field
            )
    return base, english


def _save_department(department: Department, names: tuple[str, str]) -> Department:
    department.name, department.name_en = names[0], names[1] or None
    db.session.add(department)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(
            _("A department called “%(name)s” already exists.", name=names[0]), field="name"
        ) from None
    return department


def create_department(name: str, actor: User | None = None, *, name_en: str = "") -> Department:
    """Add a department by its Chinese name, its English name, or both (at least one). Names are
    unique regardless of case and surrounding spaces, across both languages."""
    department = _save_department(Department(), _department_names(name, name_en, None))
    logger.info("department %s created by user %s", department.id, actor.id if actor else None)
    return department


def rename_department(
    department: Department, name: str, name_en: str, actor: User | None = None
) -> Department:
    """Give a department new names in Chinese and English (at least one), unique as above."""
    names = _department_names(name, name_en, department)
    _save_department(department, names)
    logger.info("department %s renamed by user %s", department.id, actor.id if actor else None)
    return department


# People -------------------------------------------------------------------------------------


def create_user(
    email: str,
    name: str,
    role: Role,
    department: Department | None,
    actor: User | None = None,
) -> tuple[User, str]:
    """Add one person without a password and return (user, set-password link URL).

    Raises AccountError for a bad or already-used email or a missing name; nothing is written then.
    """
    clean_email = checked_email(email)
    full_name = clean_name(name)
    if not full_name:
        raise AccountError(_("Name is missing."), field="name")
    if len(full_name) > NAME_MAX:
        raise AccountError(_("Name is too long."), field="name")
    if email_taken(clean_email):
        raise AccountError(
            _("Someone with the email %(email)s already exists.", email=clean_email),
            field="email",
        )
    user = User(email=clean_email, name=full_name, role=Role(role), department=department)
    db.session.add(user)
    db.session.flush()
    _token, url = new_password_token(user, actor)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(
            _("Someone with the email %(email)s already exists.", email=clean_email),
            field="email",
        ) from None
    logger.info("user %s created by user %s", user.id, actor.id if actor else None)
    return user, url


# Sessions ----------------------------------------------------------------------------------


def record_login(user: User) -> None:
    """Note when `user` last logged in. Commits."""
    user.last_login_at = utcnow()
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Logging out ends every session of `user`, including a copy of the cookie kept elsewhere."""
    user.end_sessions()
    db.session.commit()


# Deactivation -------------------------------------------------------------------------------


def deactivate_user(user: User, actor: User) -> User:
    """Stop `user` from logging in (live sessions end on their next request); history stays.

    Unused set-password links stop working. You cannot deactivate yourself.
    """
    if user.id == actor.id:
        raise AccountError(_("You cannot deactivate your own account."), status=CONFLICT)
    if not user.is_active_account:
        return user
    now = utcnow()
    user.is_active_account = False
    user.deactivated_at = now
    user.end_sessions()
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(expires_at=now)
    )
    _changed(user, "is_active_account")
    db.session.commit()
    logger.info("user %s deactivated by user %s", user.id, actor.id)
    return user


def reactivate_user(user: User, actor: User) -> User:
    """Let a deactivated user log in again with their existing password."""
    if user.is_active_account:
        return user
    user.is_active_account = True
    user.deactivated_at = None
    user.end_sessions()  # a session from before the deactivation does not come back to life
    _changed(user, "is_active_account")
    db.session.commit()
    logger.info("user %s reactivated by user %s", user.id, actor.id)
    return user


# Settings -----------------------------------------------------------------------------------


def update_settings(
    user: User, display_name: str | None, locale: str, leaderboard_opt_out: bool
) -> User:
    """Save a person's display name (blank = use their name), language and leaderboard opt-out."""
    clean = clean_name(display_name)
    if len(clean) > NAME_MAX:
        raise AccountError(_("Display name is too long."), field="display_name")
    if locale not in SUPPORTED_LOCALES:
        raise AccountError(_("Choose a supported language."), field="locale")
    changed = []
    if (clean or None) != user.display_name:
        changed.append("display_name")
    if bool(leaderboard_opt_out) != bool(user.leaderboard_opt_out):
        changed.append("leaderboard_opt_out")
    user.display_name = clean or None
    user.locale = locale
    user.leaderboard_opt_out = bool(leaderboard_opt_out)
    _changed(user, *changed)
    db.session.commit()
    return user


def _changed(user: User, *fields: str) -> None:
    """Publish that what the boards show of `user` changed (nothing when no field did)."""
    if fields:
        events.publish(events.PersonChanged(user.id, frozenset(fields), utcnow()))


_DUMMY_HASH: list[str] = []


def find_by_credentials(email: str, password: str) -> User | None:
    """The account with this email and password, or None.

    An unknown email (or an account with no password yet) still costs one password hash, so the
    answer takes as long as for a wrong password and does not reveal who has an account.
    """
    try:
        address = normalise_email(email) or ""
    except EmailError:
        address = ""  # no account has it; still costs a hash below
    user = db.session.scalars(select(User).where(func.lower(User.email) == address)).first()
    if user is not None and user.password_hash:
        return user if user.check_password(password) else None
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_DUMMY_HASH[0], password)
    return None
