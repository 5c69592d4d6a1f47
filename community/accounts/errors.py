"""The accounts room's refusal."""

from __future__ import annotations

from community.core.errors import DomainError


class AccountError(DomainError):
    """An account change refused for a reason the person can fix; `message` is translated.
    A set-password link that cannot be used has `code` "unknown", "used" or "expired"."""
