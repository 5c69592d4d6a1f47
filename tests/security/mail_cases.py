"""The mail room's routes for the security tests: the HR-only rows of the role matrix, and the
outbox mail an id-guessing visitor tries to open. Rows, not `Case`s, so that this module need
not import the test module that reads it."""

from __future__ import annotations

from typing import Any

from community.extensions import db
from community.mail import outbox
from community.mail.models import EmailStatus, OutboundEmail
from tests.security.conftest import Company


def referrers_mail(company: Company, status: EmailStatus = EmailStatus.FAILED) -> int:
    """A failed mail to the referrer (made once per test): only HR reads the outbox."""
    if "email_id" not in company.__dict__:
        email = outbox.queue(
            company.referrer.email,
            "About Secret Candidate",
            "Secret Candidate moved",
            kind="referrals",
            user_id=company.referrer.id,
        )
        email.status = status
        db.session.commit()
        company.__dict__["email_id"] = email.id
    return company.__dict__["email_id"]


def _queued_again(company: Company) -> bool:
    email = db.session.get(OutboundEmail, referrers_mail(company))
    return email is not None and email.status == EmailStatus.QUEUED


# (endpoint, method, path, HR's status, data, done) for the role matrix.
MAIL_ROWS: list[tuple[Any, ...]] = [
    ("mail.outbox", "GET", lambda c: "/mail/outbox", 200),
    ("mail.message", "GET", lambda c: f"/mail/outbox/{referrers_mail(c)}", 200),
    (
        "mail.retry",
        "POST",
        lambda c: f"/mail/outbox/{referrers_mail(c)}/retry",
        302,
        lambda c: {},
        _queued_again,
    ),
]
