"""Who is calling the API: the bearer token in `Authorization`, checked against its stored hash.

A token acts as the HR officer who made it: while they are an active HR officer, with their
rights (a referral they referred is not theirs to move). If they leave HR or the company, their
tokens stop working (401) until another HR officer makes new ones. The session cookie is never
read here: only the bearer token counts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from community.accounts.models import User
from community.api import services
from community.api.models import ApiToken
from community.api.scopes import Scope
from community.core.errors import json_error
from community.core.permissions import is_hr
from community.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _sep, value = header.partition(" ")
    if kind.lower() != "bearer":
        return None
    return value.strip() or None


def rate_limit_key() -> str:
    """The limiter's key: the token presented (hashed, so the key names no secret), else the
    caller's address. A forged token cannot spend a real one's allowance: it hashes apart."""
    token = _bearer()
    if token:
        return "api-token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "api-addr:" + (get_remote_address() or "unknown")


def _unauthorized(message: str, code: str = "invalid_token") -> Response:
    response = json_error(401, message, code=code)
    response.headers["WWW-Authenticate"] = f'Bearer realm="api", error="{code}"'
    return response


def find_token(plain: str) -> ApiToken | None:
    """The live or dead row `plain` names, when its secret matches (compared in constant time)."""
    parts = services.split_token(plain)
    if parts is None:
        return None
    token = db.session.scalars(select(ApiToken).where(ApiToken.prefix == parts[0])).first()
    if token is None or not hmac.compare_digest(token.secret_hash, services.hash_token(plain)):
        return None
    return token


def _authenticate() -> ApiToken | Response:
    plain = _bearer()
    if plain is None:
        return _unauthorized(
            _("Send your API token in the Authorization header: Bearer rc_…"), "missing_token"
        )
    token = find_token(plain)
    if token is None:
        return _unauthorized(_("This API token is not valid."))
    if token.revoked_at is not None:
        return _unauthorized(_("This API token was revoked."), "revoked_token")
    if token.is_expired():
        return _unauthorized(_("This API token has expired."), "expired_token")
    owner = db.session.get(User, token.created_by_id)
    if owner is None or not owner.is_active or not is_hr(owner):
        return _unauthorized(
            _("The person who made this API token is no longer in HR. Ask HR for a new token."),
            "owner_not_allowed",
        )
    return token


def current_token() -> ApiToken:
    """The token of this API request (set by `requires`)."""
    return g.api_token


def acting_user() -> User:
    """Whom the API request acts as: the HR officer who made the token."""
    return db.session.get(User, current_token().created_by_id)  # type: ignore[return-value]


def requires(scope: Scope | None) -> Callable[[F], F]:
    """Refuse the call without a live token (401) or, when `scope` is given, without that scope
    (403 naming it); note the token's use. None: no token needed (the OpenAPI description)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if scope is None:
                return view(*args, **kwargs)
            token = _authenticate()
            if isinstance(token, Response):
                return token
            if scope.value not in (token.scopes or []):
                return json_error(
                    403,
                    _("This API token does not have the scope %(scope)s.", scope=scope.value),
                    code="missing_scope",
                )
            g.api_token = token
            services.note_use(token)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
