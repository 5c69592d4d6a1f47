"""Links in e-mails: absolute, on APP_BASE_URL (a mail client has no page to be relative to)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from community.core.links import url


def absolute_url(path: str) -> str:
    """A path of this site as an absolute URL a mail client can open (APP_BASE_URL + path)."""
    base = str(current_app.config["APP_BASE_URL"]).rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)


def app_url(endpoint: str, /, **values: Any) -> str:
    """The absolute URL of `endpoint` with `values`, for a link in an e-mail."""
    return absolute_url(url(endpoint, **values))
