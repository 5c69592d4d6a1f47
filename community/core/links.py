"""Links, inside a request or outside one (the CLI, the demo seed, the worker), and the one check
that a redirect target is a path on this site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def url(endpoint: str, /, *, _anchor: str | None = None, **values: Any) -> str:
    """The path of `endpoint` with `values` (a query string for values the rule does not name),
    as `url_for` builds it; outside a request it is built against the app's URL map and
    APPLICATION_ROOT, so a notification written by a command links like one written by a page."""
    if has_request_context():
        return url_for(endpoint, _anchor=_anchor, **values)
    adapter = current_app.url_map.bind(
        current_app.config.get("SERVER_NAME") or "localhost",
        script_name=current_app.config.get("APPLICATION_ROOT") or "/",
    )
    path = adapter.build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path


def external_url(endpoint: str, /, **values: Any) -> str:
    """The absolute URL of `endpoint` (for links that leave the app, such as set-password links)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    adapter = current_app.url_map.bind(
        current_app.config.get("SERVER_NAME") or "localhost",
        script_name=current_app.config.get("APPLICATION_ROOT") or "/",
        url_scheme=current_app.config.get("PREFERRED_URL_SCHEME", "http"),
    )
    return adapter.build(endpoint, values, force_external=True)


def same_site(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/people?page=2"), else None: never a scheme, a
    host, or a "//host" that a browser would follow off the site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def safe_redirect(target: str | None, default: str) -> str:
    """Where to go back to: `target` if it is on this site, else `default`."""
    return same_site(target) or default
