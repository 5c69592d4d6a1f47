"""The demo's API tokens, made by HR through the API room's services; their secrets are never
kept or shown, so HR's tokens page has something to show and revoke without a secret leaking."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from community.accounts.models import User
from community.api import services
from community.api.models import ApiToken
from community.demo.data.api_tokens import TOKENS
from community.extensions import db


def add_api_tokens(hr: User, now: datetime) -> None:
    """Make the demo's tokens unless they are there (the plain tokens are dropped at once)."""
    existing = set(db.session.scalars(select(ApiToken.name)))
    for name, scopes, used_hours_ago, revoked_days_ago in TOKENS:
        if name in existing:
            continue
        token = services.create_token(hr, name, scopes).token
        token.created_at = now - timedelta(days=60)
        if used_hours_ago is not None:
            services.note_use(token, now - timedelta(hours=used_hours_ago))
        if revoked_days_ago is not None:
            services.revoke_token(token, hr)
            token.revoked_at = now - timedelta(days=revoked_days_ago)
        db.session.commit()
