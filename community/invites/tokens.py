"""The personal link's token: the invitation's id, its random key and its language, signed with
SECRET_KEY. A forged or altered token is refused without a database read; a genuine one still
opens only an invitation that exists with that key. The language rides in the token, so even an
invitation that is gone answers in the language the person was invited in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from community.config import SUPPORTED_LOCALES
from community.invites.models import Invitation

KEY_BYTES = 12


@dataclass(frozen=True)
class Reading:
    """What a genuine token says."""

    invitation_id: int
    key: str
    locale: str


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invites.invitation")


def token_for(invitation: Invitation) -> str:
    """The token of `invitation`'s personal link (the same every time it is asked for, so the
    reminder carries the link the invitation did)."""
    return str(_serializer().dumps([invitation.id, invitation.key, invitation.locale]))


def read_token(token: str) -> Reading | None:
    """What `token` says, or None when it is forged, altered or not one of ours."""
    try:
        payload: Any = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 3):
        return None
    invitation_id, key, locale = payload
    if not isinstance(invitation_id, int) or not isinstance(key, str):
        return None
    return Reading(invitation_id, key, locale if locale in SUPPORTED_LOCALES else "zh_CN")
