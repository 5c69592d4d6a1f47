"""The room's refusal: a DomainError whose `code` the inbound endpoint answers with."""

from __future__ import annotations

from community.core.errors import DomainError


class WebhookError(DomainError):
    """A refused webhook request or HR change; `code` names the kind ("bad_signature", …)."""
