"""Every write of the API room: making a token (shown once, kept hashed), revoking it, and noting
when it was last used."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from community.accounts.models import User
from community.api.errors import ApiError
from community.api.models import ApiToken
from community.api.scopes import Scope
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.permissions import is_hr
from community.core.time import company_tz, local_today, utcnow
from community.extensions import db

logger = logging.getLogger(__name__)

TOKEN_START = "rc_"
PREFIX_BYTES = 6  # 12 hex characters: finds the row, shown in lists, useless alone
SECRET_BYTES = 32  # 256 bits: a plain SHA-256 is enough, nobody can guess it offline
MAX_NAME = 80
MAX_EXPIRY = timedelta(days=3 * 365)
# Writing "last used" on every call would make each read a write; to the minute is enough.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 of the whole string, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, secret = token[len(TOKEN_START) :].partition("_")
    if not sep or len(prefix) != 2 * PREFIX_BYTES or not secret or len(secret) > 100:
        return None
    return prefix, secret


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the token itself, which is never stored or shown again."""

    token: ApiToken
    plain: str


def _expiry(expires_on: date | None) -> datetime | None:
    """The end of `expires_on` in the company's time zone, as naive UTC (valid through that day)."""
    if expires_on is None:
        return None
    today = local_today()
    if expires_on < today:
        raise ApiError(_("The expiry date cannot be in the past."), field="expires_on")
    if expires_on > today + MAX_EXPIRY:
        raise ApiError(
            _("A token can be valid for three years at most. Choose an earlier date."),
            field="expires_on",
        )
    end = datetime.combine(expires_on + timedelta(days=1), time.min, tzinfo=company_tz())
    return end.astimezone(UTC).replace(tzinfo=None)


def _scopes(chosen: list[str]) -> list[str]:
    known = {scope.value for scope in Scope}
    picked = [value for value in dict.fromkeys(chosen) if value]
    if not picked:
        raise ApiError(_("Choose at least one scope."), field="scopes")
    if any(value not in known for value in picked):
        raise ApiError(_("Choose scopes from the list."), field="scopes")
    # Moving referrals without reading them would leave an integration blind.
    if Scope.REFERRALS_WRITE in picked and Scope.REFERRALS_READ not in picked:
        picked.append(Scope.REFERRALS_READ.value)
    return [scope.value for scope in Scope if scope.value in picked]


def create_token(
    actor: User, name: str, scopes: list[str], expires_on: date | None = None
) -> NewToken:
    """Make a token for `actor` (HR) named `name` with `scopes`, valid through `expires_on`
    (or until revoked). Returns the row and the plain token, to be shown once: only its
    SHA-256 is stored. Refusals name their field; nothing is written then."""
    if not is_hr(actor):
        raise ApiError(_("Only HR can make API tokens."), status=FORBIDDEN)
    name = " ".join((name or "").split())
    if not name:
        raise ApiError(_("Give the token a name, e.g. the system that will use it."), field="name")
    if len(name) > MAX_NAME:
        raise ApiError(
            ngettext(
                "The name can be %(num)d character long at most.",
                "The name can be %(num)d characters long at most.",
                MAX_NAME,
            ),
            field="name",
        )
    chosen = _scopes(scopes)
    expires_at = _expiry(expires_on)
    prefix = secrets.token_hex(PREFIX_BYTES)
    plain = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    token = ApiToken(
        name=name,
        prefix=prefix,
        secret_hash=hash_token(plain),
        scopes=chosen,
        created_by_id=actor.id,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.commit()
    logger.info("API token %s (%s) made by user %s, scopes %s", token.id, prefix, actor.id, chosen)
    return NewToken(token, plain)


def revoke_token(token: ApiToken, actor: User) -> ApiToken:
    """Revoke `token` (HR): every later call with it is refused (401). Once only (409)."""
    if not is_hr(actor):
        raise ApiError(_("Only HR can revoke API tokens."), status=FORBIDDEN)
    if token.revoked_at is not None:
        raise ApiError(_("This token is already revoked."), status=CONFLICT)
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id
    db.session.commit()
    logger.info("API token %s revoked by user %s", token.id, actor.id)
    return token


def note_use(token: ApiToken, now: datetime | None = None) -> None:
    """Record that `token` was just used (to the minute), in a transaction of its own."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_GRANULARITY:
        return
    token.last_used_at = now
    db.session.commit()
