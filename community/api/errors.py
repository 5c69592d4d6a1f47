"""The API room's refusal."""

from __future__ import annotations

from community.core.errors import DomainError


class ApiError(DomainError):
    """A token not made or not accepted, or an API request refused: `message` in the reader's
    language, `field` the form field or query parameter it is about, `code` a short word for
    programs ("invalid_token", "missing_scope", "invalid")."""
