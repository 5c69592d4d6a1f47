"""The one e-mail normaliser: what two spellings of the same address have in common. Accounts,
login, referrals (self-referral, duplicates) and invitations all compare addresses through it."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from community.core.errors import DomainError

EMAIL_MAX = 254


class EmailError(DomainError):
    """Not an e-mail address (the message says so in the reader's language)."""


def normalise_email(raw: str | None) -> str | None:
    """The address trimmed, checked and lower-cased; None when blank. Raises EmailError (field
    "email") when it is not an address."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX:
        raise EmailError(_("Email is too long."), field="email")
    try:
        normalized = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise EmailError(
            _("“%(email)s” is not a valid email address.", email=text), field="email"
        ) from None
    return normalized.lower()
