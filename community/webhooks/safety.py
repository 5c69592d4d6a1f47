"""Where outbound webhooks may go: http(s) addresses whose host resolves to public addresses
only. Loopback, private, link-local (cloud metadata at 169.254.169.254), reserved and multicast
addresses are refused, unless WEBHOOKS_ALLOW_PRIVATE is set (a receiver on the same machine in
development and in tests). Checked when HR saves an endpoint and again before every try, since a
name can point elsewhere later; a name that resolves nowhere is refused at the try (a failed
attempt in the log), not when saved.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from community.webhooks.errors import WebhookError

MAX_URL = 500


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def addresses(host: str, port: int) -> list[str] | None:
    """The addresses `host` resolves to, or None when it resolves nowhere."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None
    return sorted({str(info[4][0]) for info in infos})


def check_url(raw: str, *, resolve_required: bool = False) -> str:
    """The cleaned endpoint address, or a WebhookError (field "url") saying why not."""
    url = (raw or "").strip()
    if not url:
        raise WebhookError(_("Please enter the endpoint's address."), field="url")
    if len(url) > MAX_URL:
        raise WebhookError(_("The address is too long."), field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(
            _("The address must start with https:// (or http://) and name a host."), field="url"
        )
    if parts.username or parts.password:
        raise WebhookError(_("The address may not contain a user name or password."), field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookError(_("The address's port is not a number."), field="url") from exc
    if current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"):
        return url
    found = addresses(parts.hostname, port)
    if found is None:
        if resolve_required:
            raise WebhookError(_("The endpoint's host name could not be resolved."), field="url")
        return url
    if not found or any(_private(address) for address in found):
        raise WebhookError(
            _(
                "The address points into a private network or this machine: only public addresses are allowed."
            ),
            field="url",
        )
    return url
