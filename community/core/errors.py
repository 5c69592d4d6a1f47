"""Errors: the one refusal type of the house, and friendly error pages in the user's language.

A service refuses by raising its domain's subclass of `DomainError` with a message already in the
user's language (never naming anything they may not know of). A route may catch it to show the
message beside a form field; whatever it does not catch, `handle_domain_error` answers: a 4xx page,
or for htmx a toast without a swap. Errors a person cannot cause are logged with context and
answered with a 500 page.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from community.core.htmx import is_fragment_request, render, toast

logger = logging.getLogger(__name__)

BAD_INPUT = 422
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
GONE = 410


class DomainError(Exception):
    """A refusal the person can understand and often fix.

    `message` is in their language; `field` names the form field it belongs to, when there is
    one; `status` is the HTTP status to answer with (422 unless the refusal says otherwise:
    403 not allowed, 404 not there, 409 the state changed, 410 used up); `code` is a short word
    for what kind of refusal it is, for the code that must tell them apart ("expired", "used").
    """

    status: ClassVar[int] = BAD_INPUT

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        if status is not None:
            self.status = status  # type: ignore[misc]


def _message_for(code: int) -> str:
    messages = {
        400: _("The request could not be understood. Please check what you entered and try again."),
        401: _("Please log in to continue."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. The team has been told; please try again later."),
    }
    return messages.get(code, _("Something went wrong."))


def _titles(code: int) -> str:
    titles = {
        403: _("Access denied"),
        404: _("Page not found"),
        429: _("Slow down"),
        500: _("Server error"),
    }
    return titles.get(code, _("Request problem"))


def answer_in_json(app: Flask, prefix: str, *, except_paths: tuple[str, ...] = ()) -> None:
    """Answer every error under `prefix` in JSON instead of a page (an API's clients are
    programs; the room that owns the API calls this). `except_paths` stay pages (its docs)."""
    app.extensions.setdefault("json_error_prefixes", []).append((prefix, except_paths))


def _wants_json() -> bool:
    path = request.path
    return any(
        path.startswith(prefix) and path not in except_paths
        for prefix, except_paths in current_app.extensions.get("json_error_prefixes", ())
    )


def json_error(
    status: int, message: str, *, code: str | None = None, fields: dict[str, str] | None = None
) -> Response:
    """The one shape of an API error: {"error": {"status", "code", "message", "fields"?}}."""
    body: dict[str, object] = {
        "status": status,
        "code": code or _JSON_CODES.get(status, "error"),
        "message": message,
    }
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    return response


_JSON_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


def _answer(code: int, message: str) -> Response:
    if _wants_json():
        return json_error(code, message)
    if is_fragment_request():
        toast(message, "danger")
        response = Response(message, status=code)
        # Let htmx show the toast without swapping the error into the page.
        response.headers["HX-Reswap"] = "none"
        return response
    return render("errors/error.html", status=code, code=code, title=_titles(code), message=message)


def handle_http_error(error: HTTPException) -> Response:
    code = error.code or 500
    message = _message_for(code)
    if isinstance(error, CSRFError):
        message = _(
            "Your form expired or was sent without its security token. Please reload the page and try again."
        )
    response = _answer(code, message)
    allowed = getattr(error, "valid_methods", None)  # a 405 says which methods would do
    if allowed and _wants_json():
        response.headers["Allow"] = ", ".join(allowed)
    return response


def handle_domain_error(error: DomainError) -> Response:
    """A refusal no route caught: its message, with its status."""
    from community.extensions import db

    db.session.rollback()  # nothing half-written
    if _wants_json():
        fields = getattr(error, "fields", None) or (
            {error.field: error.message} if error.field else None
        )
        return json_error(error.status, error.message, code=error.code, fields=fields)
    return _answer(error.status, error.message)


def handle_unexpected(error: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.path)
    from community.extensions import db

    db.session.rollback()
    if _wants_json():
        return json_error(500, _message_for(500))
    return render(
        "errors/error.html", status=500, code=500, title=_titles(500), message=_message_for(500)
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, handle_unexpected)
