"""Account writes: departments, people, deactivation, personal settings, sign-in.

Every function here that changes state commits (or rolls back) itself, so a route never leaves
anything half-written. Errors a person can cause are raised as `AccountError` with a message in
the current user's language. A change to what the leaderboards show of a person (name, opt-out,
activation) is published as `events.PersonChanged`. Set-password links live in `passwords`,
CSV imports in `imports`.
"""

from __future__ import annotations

import enum
import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from community import events
from community.accounts.errors import AccountError
from community.accounts.models import (
    ChangedField,
    Department,
    PasswordToken,
    PersonChange,
    Role,
    User,
)
from community.accounts.passwords import new_password_token
from community.config import SUPPORTED_LOCALES
from community.core.emails import EmailError, email_identity, matches_email, normalise_email
from community.core.errors import CONFLICT, FORBIDDEN
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
    """Whether someone (else) has an address with the identity of `email` (`core.emails`):
    another letter case, a plus-tag or a company alias domain is the same person."""
    stmt = select(User.id).where(matches_email(User.email_key, email))
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


# What HR changes about a person ---------------------------------------------------------------


def _log(
    user: User, actor: User | None, field: ChangedField, old: object, new: object
) -> PersonChange:
    """Write one line of the person's change log (in the caller's transaction)."""

    def text(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value.value if isinstance(value, enum.Enum) else value)

    change = PersonChange(
        user_id=user.id,
        actor_id=actor.id if actor else None,
        field=field,
        old_value=text(old),
        new_value=text(new),
    )
    db.session.add(change)
    return change


def _other_active_hr(user: User) -> int:
    """How many active HR officers there are besides `user`, their rows locked until the commit
    so that two officers cannot each remove the other at once."""
    ids = db.session.scalars(
        select(User.id)
        .where(User.role == Role.HR, User.is_active_account.is_(True), User.id != user.id)
        .order_by(User.id)
        .with_for_update()
    ).all()
    return len(ids)


def _refuse_losing_last_hr(user: User) -> None:
    if user.role == Role.HR and user.is_active_account and not _other_active_hr(user):
        raise AccountError(
            _(
                "%(name)s is the last HR officer. Make someone else HR first, so that somebody "
                "can still run the program.",
                name=user.shown_name,
            ),
            field="role",
            status=CONFLICT,
        )


def _checked_manager(user: User, manager_id: int | None) -> User | None:
    """The manager `user` may report to, or AccountError (field "manager")."""
    if manager_id is None:
        return None
    manager = db.session.get(User, manager_id)
    if manager is None or not manager.is_active_account:
        raise AccountError(_("Choose an active colleague as the manager."), field="manager")
    if manager.id == user.id:
        raise AccountError(_("Nobody can be their own manager."), field="manager")
    seen: set[int] = set()
    above: User | None = manager
    while above is not None and above.id not in seen:
        if above.manager_id == user.id:
            raise AccountError(
                _(
                    "%(manager)s already reports to %(name)s (directly or through others): that "
                    "would make a loop.",
                    manager=manager.shown_name,
                    name=user.shown_name,
                ),
                field="manager",
            )
        seen.add(above.id)
        above = above.manager
    return manager


def update_person(
    user: User,
    actor: User,
    *,
    role: Role | str | None,
    department_id: int | None,
    manager_id: int | None,
) -> list[PersonChange]:
    """HR sets a person's role, department and manager; returns the changes made (none when
    nothing changed). Each change is logged with who and when, in one transaction.

    Refused with AccountError (nothing written): an unknown role or department; a manager who is
    not an active colleague, is the person, or reports to them already; taking the role from the
    last active HR officer (themselves included); an actor who is not HR.
    """
    if actor.role != Role.HR or not actor.is_active_account:
        raise AccountError(_("Only HR can change a person's account."), status=FORBIDDEN)
    try:
        new_role = Role(role or "")
    except ValueError:
        raise AccountError(_("Choose a role from the list."), field="role") from None
    department = db.session.get(Department, department_id) if department_id else None
    if department is None:
        raise AccountError(_("Choose a department from the list."), field="department")
    manager = _checked_manager(user, manager_id)
    if new_role != user.role and user.role == Role.HR:
        _refuse_losing_last_hr(user)  # HR may give up their own role, unless nobody is left
    changes: list[PersonChange] = []
    shown: list[str] = []
    if new_role != user.role:
        changes.append(_log(user, actor, ChangedField.ROLE, user.role, new_role))
        user.role = new_role
        shown.append("role")
    if department.id != user.department_id:
        changes.append(
            _log(user, actor, ChangedField.DEPARTMENT, user.department_id, department.id)
        )
        user.department = department
        shown.append("department_id")
    new_manager_id = manager.id if manager else None
    if new_manager_id != user.manager_id:
        changes.append(_log(user, actor, ChangedField.MANAGER, user.manager_id, new_manager_id))
        user.manager = manager
    if not changes:
        return []
    _changed(user, *shown)
    db.session.commit()
    logger.info(
        "user %s changed by user %s: %s",
        user.id,
        actor.id,
        ", ".join(str(c.field) for c in changes),
    )
    return changes


def deactivate_user(user: User, actor: User) -> User:
    """Stop `user` from logging in (live sessions end on their next request); history stays.

    Unused set-password links stop working. You cannot deactivate yourself, nor the last HR
    officer. Logged in the person's change log.
    """
    if user.id == actor.id:
        raise AccountError(_("You cannot deactivate your own account."), status=CONFLICT)
    if not user.is_active_account:
        return user
    _refuse_losing_last_hr(user)
    now = utcnow()
    user.is_active_account = False
    user.deactivated_at = now
    user.end_sessions()
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(expires_at=now)
    )
    _log(user, actor, ChangedField.ACTIVE, True, False)
    _changed(user, "is_active_account")
    db.session.commit()
    logger.info("user %s deactivated by user %s", user.id, actor.id)
    return user


def reactivate_user(user: User, actor: User) -> User:
    """Let a deactivated user log in again with their existing password. Logged."""
    if user.is_active_account:
        return user
    user.is_active_account = True
    user.deactivated_at = None
    user.end_sessions()  # a session from before the deactivation does not come back to life
    _log(user, actor, ChangedField.ACTIVE, False, True)
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


def _account_for_login(address: str) -> User | None:
    """The account signed in to as `address`: its own address in any letter case, or at another
    of the company's domains (`COMPANY_EMAIL_DOMAINS`). A plus-tag is not dropped here: a tagged
    spelling signs in only to an account whose own address has that tag."""
    wanted = email_identity(address, keep_tag=True)
    same_person = db.session.scalars(
        select(User).where(matches_email(User.email_key, address)).order_by(User.id)
    ).all()
    return next((u for u in same_person if email_identity(u.email, keep_tag=True) == wanted), None)


def find_by_credentials(email: str, password: str) -> User | None:
    """The account with this email and password, or None.

    An unknown email (or an account with no password yet) still costs one password hash, so the
    answer takes as long as for a wrong password and does not reveal who has an account.
    """
    try:
        address = normalise_email(email) or ""
    except EmailError:
        address = ""  # no account has it; still costs a hash below
    user = _account_for_login(address) if address else None
    if user is not None and user.password_hash:
        return user if user.check_password(password) else None
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_DUMMY_HASH[0], password)
    return None
