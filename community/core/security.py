"""Login required by default, no NUL byte past the door, and security headers on every response."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.errors import DomainError

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class NulByteRefused(DomainError):
    status = 400


def _carries_nul(values: Any) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def refuse_nul_bytes() -> None:
    """before_request: PostgreSQL cannot store or compare text holding a NUL byte (it answers an
    error, a 500), and no person means to type one; refuse it here, once, before any view runs."""
    filenames = (upload.filename or "" for upload in request.files.values())
    if (
        "\x00" in request.path
        or _carries_nul(request.args)
        or _carries_nul(request.form)
        or any("\x00" in name for name in filenames)
    ):
        raise NulByteRefused(
            _(
                "What you sent contains a character that is not allowed (a null byte). "
                "Please remove it and try again."
            )
        )


def require_login() -> Response | None:
    """before_request: send anonymous visitors to the login page unless the view is public."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "_public", False) or current_user.is_authenticated:
        return None
    if request.headers.get("HX-Request"):
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("accounts.login", next=request.full_path)
        return response
    return redirect(url_for("accounts.login", next=request.full_path))


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and getattr(current_user, "is_authenticated", False):
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)  # first: the login form and public links are checked too
    app.before_request(require_login)
    app.after_request(add_security_headers)
