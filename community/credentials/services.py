"""Every write of the credentials room: exporting a badge award as a signed credential, and
revoking the credentials of a revoked badge; and checking a pasted VC-JWT."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from joserfc import jws, jwt
from joserfc.errors import JoseError
from sqlalchemy import update

from community.accounts.models import User
from community.badges import registry
from community.badges.models import UserBadge
from community.core.errors import CONFLICT, FORBIDDEN, DomainError
from community.core.time import utcnow
from community.credentials import document, keys, queries
from community.credentials.models import IssuedCredential, IssuerKey
from community.extensions import db

logger = logging.getLogger(__name__)

MAX_JWT_CHARS = 64_000  # a credential with its picture is ~3 kB; anything this long is not ours


class CredentialsError(DomainError):
    """A credential refused; `message` is in the person's language."""


class CredentialsNotAllowed(CredentialsError):
    status = FORBIDDEN


class BadgeRevokedError(CredentialsError):
    status = CONFLICT


def issue_credential(
    user: User, award: UserBadge, language: str | None, show_name: bool = False
) -> IssuedCredential:
    """Export `user`'s own badge `award` as an Open Badges 3.0 credential signed as a VC-JWT
    (EdDSA), in `language` ("en", "zh_CN" or "both"); `show_name` puts their name in it and on
    its public page. Only the earner exports, never a revoked badge. Commits."""
    if award.user_id != user.id:
        raise CredentialsNotAllowed(_("Only the person who earned a badge can export it."))
    if award.revoked_at is not None:
        raise BadgeRevokedError(_("This badge was revoked and cannot be exported."))
    if registry.get(award.badge_key) is None:
        raise CredentialsError(_("This badge no longer exists and cannot be exported."))
    if language not in document.LANGUAGES:
        raise CredentialsError(_("Please choose a language."), field="language")
    key_row, key = keys.signing_key()
    token = secrets.token_urlsafe(24)
    issued_at = utcnow()
    body = document.credential(
        token=token,
        award=award,
        email=user.email,
        salt=secrets.token_hex(8),
        language=language,
        shown_name=user.shown_name if show_name else None,
        issued_at=issued_at,
    )
    header = {"alg": keys.ALGORITHM, "typ": "JWT", "kid": document.key_url(key_row.kid)}
    with keys.eddsa_allowed():
        signed = jwt.encode(
            header, document.jwt_claims(body, issued_at), key, algorithms=[keys.ALGORITHM]
        )
    issued = IssuedCredential(
        token=token,
        award_id=award.id,
        user_id=user.id,
        language=language,
        show_name=bool(show_name),
        key_id=key_row.id,
        jwt=signed,
        issued_at=issued_at,
    )
    db.session.add(issued)
    db.session.commit()
    logger.info("credential %s issued for badge award %s", issued.id, award.id)
    return issued


def revoke_for_award(award_id: int, at: datetime) -> int:
    """Revoke every credential exported for badge award `award_id` (the badge was revoked), in
    the caller's transaction. Returns how many."""
    return int(
        db.session.execute(
            update(IssuedCredential)
            .where(IssuedCredential.award_id == award_id, IssuedCredential.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )


# Verifying a pasted credential ---------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What checking a VC-JWT found: `valid` only when the signature is the issuer's, the issuer
    is us, we issued it and it is not revoked; `problem` says why not, in the reader's words."""

    valid: bool
    problem: str | None = None
    credential: IssuedCredential | None = None
    claims: dict[str, Any] | None = None


def _refused(problem: str, **found: Any) -> Verification:
    return Verification(False, problem, **found)


def verify_jwt(text: str | None) -> Verification:
    """Check a compact VC-JWT: signed with one of the issuer's keys (by its `kid`), by this
    issuer, issued here, and not revoked. Reads only; never raises on bad input."""
    text = "".join((text or "").split())
    if not text:
        return _refused(_("Paste a credential (the text of a .jwt file)."))
    if len(text) > MAX_JWT_CHARS:
        return _refused(_("This is too long to be one of our credentials."))
    try:
        header = jws.extract_compact(text.encode()).headers()
    except (JoseError, ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError):
        return _refused(_("This is not a signed credential (a JWT)."))
    kid = str(header.get("kid") or "")
    prefix = document.key_url("")
    key_row = keys.by_kid(kid.removeprefix(prefix)) if kid.startswith(prefix) else None
    if key_row is None or header.get("alg") != keys.ALGORITHM:
        return _refused(_("This credential was not signed with one of our keys."))
    try:
        with keys.eddsa_allowed():
            claims = dict(
                jwt.decode(text, keys.public_key(key_row), algorithms=[keys.ALGORITHM]).claims
            )
    except (JoseError, ValueError, TypeError):
        return _refused(_("The signature does not match: this credential was changed."))
    if claims.get("iss") != document.issuer_id():
        return _refused(_("This credential names another issuer."), claims=claims)
    issued = queries.by_credential_id(str(claims.get("jti") or ""))
    if issued is None:
        return _refused(_("We have no record of this credential."), claims=claims)
    if issued.revoked_at is not None:
        return _refused(_("This credential was revoked."), credential=issued, claims=claims)
    return Verification(True, None, credential=issued, claims=claims)


def decoded(issued: IssuedCredential) -> dict[str, Any]:
    """The credential as JSON: the signed payload of its JWT (what the download's .json holds)."""
    key_row = db.session.get(IssuerKey, issued.key_id)
    with keys.eddsa_allowed():
        return dict(
            jwt.decode(issued.jwt, keys.public_key(key_row), algorithms=[keys.ALGORITHM]).claims
        )
