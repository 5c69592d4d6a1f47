"""Set-password links: one-time, expiring, and stored only as a hash.

A new person gets one from HR (or an import); HR can issue a new one, which makes every earlier
unused link invalid. Deactivating a person expires theirs.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from community.accounts.errors import AccountError
from community.accounts.models import PasswordToken, User
from community.core.errors import CONFLICT, GONE, NOT_FOUND
from community.core.links import external_url
from community.core.time import utcnow
from community.extensions import db

logger = logging.getLogger(__name__)

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_link_url(token: str) -> str:
    """The absolute URL of a set-password link (also outside a request, e.g. from the CLI)."""
    return external_url("accounts.set_password", token=token)


def new_password_token(user: User, actor: User | None) -> tuple[str, str]:
    """Add a fresh token for `user` (not committed), expiring every earlier unused one."""
    now = utcnow()
    db.session.execute(
        update(PasswordToken)
        .where(
            PasswordToken.user_id == user.id,
            PasswordToken.used_at.is_(None),
            PasswordToken.expires_at > now,
        )
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config.get("SET_PASSWORD_TOKEN_HOURS", 72))
    db.session.add(
        PasswordToken(
            user_id=user.id,
            token_hash=_hash_token(token),
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token, password_link_url(token)


def issue_password_link(user: User, actor: User | None = None) -> tuple[str, str]:
    """Create a one-time set-password link for `user` and return (token, url).

    Only the token's SHA-256 hash is stored. The link expires after SET_PASSWORD_TOKEN_HOURS
    (default 72) and issuing a new one makes every earlier unused link invalid.
    """
    if not user.is_active_account:
        raise AccountError(_("This account is deactivated. Reactivate it first."), status=CONFLICT)
    token, url = new_password_token(user, actor)
    db.session.commit()
    logger.info("password link issued for user %s by user %s", user.id, actor.id if actor else None)
    return token, url


def check_password_token(token: str) -> PasswordToken:
    """Return the usable token record for `token`, or raise AccountError saying why not (its
    `code`: "unknown", "used" or "expired")."""
    record = db.session.scalars(
        select(PasswordToken).where(PasswordToken.token_hash == _hash_token(token or ""))
    ).first()
    if record is None or not record.user.is_active_account:
        raise AccountError(
            _(
                "This link is not valid. Check that you copied the whole link, or ask HR for a new one."
            ),
            status=NOT_FOUND,
            code="unknown",
        )
    if record.used_at is not None:
        raise AccountError(
            _(
                "This link has already been used. Log in with your password, or ask HR for a new link."
            ),
            status=GONE,
            code="used",
        )
    if record.expires_at <= utcnow():
        raise AccountError(
            _("This link has expired or was replaced by a newer one. Ask HR for a new link."),
            status=GONE,
            code="expired",
        )
    return record


def validate_new_password(password: str | None) -> str:
    password = password or ""
    if len(password) < PASSWORD_MIN:
        raise AccountError(
            ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", PASSWORD_MIN
            ),
            field="password",
        )
    if len(password) > PASSWORD_MAX:
        raise AccountError(
            ngettext(
                "Use at most %(num)d character.", "Use at most %(num)d characters.", PASSWORD_MAX
            ),
            field="password",
        )
    return password


def set_password_with_token(token: str, password: str) -> User:
    """Set a password through a one-time link: checks it is known, unused and unexpired,
    requires at least 10 characters, then marks the link used. Raises AccountError otherwise."""
    record = check_password_token(token)
    validate_new_password(password)
    # Claim the token atomically so two submissions of the same link cannot both succeed.
    claimed = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == record.id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AccountError(
            _(
                "This link has already been used. Log in with your password, or ask HR for a new link."
            ),
            status=GONE,
            code="used",
        )
    user = record.user
    user.set_password(password)
    db.session.commit()
    logger.info("password set through a link for user %s", user.id)
    return user
