"""Reading credentials: one by its public token, the earner's own for an award, the revoked
ones for the revocation list."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from community.credentials import document
from community.credentials.models import IssuedCredential
from community.extensions import db

TOKEN_CHARS = 32  # secrets.token_urlsafe(24)


def by_token(token: str) -> IssuedCredential | None:
    if len(token) != TOKEN_CHARS:
        return None
    return db.session.scalars(
        select(IssuedCredential).where(IssuedCredential.token == token)
    ).first()


def by_token_or_404(token: str) -> IssuedCredential:
    found = by_token(token)
    if found is None:
        abort(404)
    return found


def own_or_404(user_id: int, token: str) -> IssuedCredential:
    """The earner's own credential; anyone else's answers 404 like a missing one."""
    found = by_token(token)
    if found is None or found.user_id != user_id:
        abort(404)
    return found


def by_credential_id(credential_id: str) -> IssuedCredential | None:
    """The credential whose id (its verification page's URL) is `credential_id`."""
    prefix = document.credential_url("")
    if not credential_id.startswith(prefix):
        return None
    return by_token(credential_id.removeprefix(prefix))


def for_award(user_id: int, award_id: int) -> list[IssuedCredential]:
    """The credentials `user_id` exported for their badge award, newest first."""
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.user_id == user_id, IssuedCredential.award_id == award_id)
            .order_by(IssuedCredential.id.desc())
        )
    )


def revoked() -> list[IssuedCredential]:
    """Every revoked credential, in the order they were issued."""
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.revoked_at.is_not(None))
            .order_by(IssuedCredential.id)
        )
    )
