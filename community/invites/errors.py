"""The invites room's refusal."""

from __future__ import annotations

from community.core.errors import DomainError


class InviteError(DomainError):
    """An invitation refused (bad contact, not allowed, too many today) or a link that does not
    work (forged, expired, already answered), with a message in the reader's language."""
