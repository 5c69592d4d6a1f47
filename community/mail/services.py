"""The mail room's writes from pages: HR sends a failed mail again."""

from __future__ import annotations

from flask_babel import gettext as _

from community.core.errors import CONFLICT, DomainError
from community.core.time import utcnow
from community.core.transaction import committed
from community.mail.models import EmailStatus, OutboundEmail


class MailError(DomainError):
    """A refusal about the outbox, in the reader's language."""


def retry(email: OutboundEmail) -> None:
    """Put a failed mail back in the queue with its tries counted afresh (HR fixed the server
    settings, or the address's mailbox is back); the worker sends it on its next tick."""
    if email.status != EmailStatus.FAILED:
        raise MailError(_("Only a failed e-mail can be sent again."), status=CONFLICT)
    with committed():
        email.status = EmailStatus.QUEUED
        email.attempts = 0
        email.next_attempt_at = utcnow()
