"""Sending the outbox, on the worker (duty `mail.send`), through Flask-Mailman.

Each tick sends what is due (`status` queued and `next_attempt_at` passed), oldest first, at
most MAIL_SEND_BATCH. A mail is first *claimed*: one conditional UPDATE counts the attempt and
moves `next_attempt_at` a lease ahead, committed before the server is spoken to. So two workers
never send one mail at once, and a worker that dies mid-send leaves the mail to be tried again
when the lease ends (at least once, never lost; it keeps its Message-ID, so a mail client
shows a repeat as one).

A failure is recorded on the row (`last_error`). A refusal for good (an SMTP 5xx for the
recipient or the message) fails the mail at once; anything else is tried again after
MAIL_RETRY_SECONDS, four times longer after each try (at most six hours), until
MAIL_MAX_ATTEMPTS tries, then the mail is failed. When the server cannot be reached at all the
tick stops there: the other mails wait for the next tick without losing a try.

The backend is MAIL_BACKEND ("file" in development: Mailman writes each mail to a file under
MAIL_FILE_PATH; "smtp" in production), read from the config at each tick.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import select, update

from community.extensions import db, mail
from community.mail.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a claimed mail is not tried again before this (a worker died)
LONGEST_WAIT = timedelta(hours=6)
ERROR_MAX = 1000


class Unreachable(Exception):
    """The server could not be reached or refused the session: no mail can go this tick."""


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 1, 4, 16, 64 … minutes by default."""
    base = int(current_app.config["MAIL_RETRY_SECONDS"])
    return min(timedelta(seconds=base * 4 ** max(attempts - 1, 0)), LONGEST_WAIT)


def due_ids(now: datetime, limit: int) -> list[int]:
    """The mails due by `now`, oldest due first."""
    return list(
        db.session.scalars(
            select(OutboundEmail.id)
            .where(OutboundEmail.status == EmailStatus.QUEUED, OutboundEmail.next_attempt_at <= now)
            .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
            .limit(limit)
        )
    )


def claim(email_id: int, now: datetime) -> OutboundEmail | None:
    """Count a try of the mail and hold it for LEASE, committed; None when another worker has
    it (or it is no longer due)."""
    result = db.session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.id == email_id,
            OutboundEmail.status == EmailStatus.QUEUED,
            OutboundEmail.next_attempt_at <= now,
        )
        .values(attempts=OutboundEmail.attempts + 1, next_attempt_at=now + LEASE)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboundEmail, email_id, populate_existing=True)


def connection() -> Any:
    """A Mailman backend for MAIL_BACKEND, with the SMTP (or file) settings as they are now."""
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "file":
        return mail.get_connection(backend="file", file_path=config["MAIL_FILE_PATH"])
    if backend == "smtp":
        return mail.get_connection(
            backend="smtp",
            host=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            username=config["MAIL_USERNAME"] or None,
            password=config["MAIL_PASSWORD"] or None,
            use_tls=bool(config["MAIL_USE_TLS"]),
            use_ssl=bool(config["MAIL_USE_SSL"]),
            timeout=int(config["MAIL_TIMEOUT"]),
        )
    return mail.get_connection(backend=backend)


def message(email: OutboundEmail, backend: Any) -> EmailMultiAlternatives:
    """The MIME message of an outbox row: plain text, the HTML as its alternative."""
    sender = str(current_app.config["MAIL_DEFAULT_SENDER"])
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    headers = dict(email.headers or {})
    # The same id on every try: a repeat after a lost answer reads as one mail.
    headers.setdefault(
        "Message-ID", f"<outbox.{email.id}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"
    )
    built = EmailMultiAlternatives(
        email.subject,
        email.text_body,
        sender,
        [email.to_address],
        connection=backend,
        headers=headers,
    )
    if email.html_body:
        built.attach_alternative(email.html_body, "text/html")
    return built


def _refused_for_good(error: Exception) -> bool:
    """An SMTP answer in the 500s about this mail: trying again would be refused again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _unreachable(error: Exception) -> bool:
    return isinstance(
        error,
        OSError
        | smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError
        | smtplib.SMTPSenderRefused,
    ) and not isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


def _failed(email: OutboundEmail, error: Exception, now: datetime) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    if _refused_for_good(error) or email.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        email.status = EmailStatus.FAILED
        logger.warning("mail: %s to %s failed for good: %s", email.id, email.to_address, error)
    else:
        email.next_attempt_at = now + retry_delay(email.attempts)
        logger.info("mail: %s to %s will be tried again: %s", email.id, email.to_address, error)
    db.session.commit()


def send_one(email: OutboundEmail, backend: Any, now: datetime) -> bool:
    """Send a claimed mail and record how it went; raises Unreachable when the server is."""
    try:
        backend.open()  # once per tick: later mails reuse the session
        message(email, backend).send()
    except Exception as error:
        _failed(email, error, now)
        if _unreachable(error):
            raise Unreachable from error
        return False
    email.status = EmailStatus.SENT
    email.sent_at = now
    email.last_error = None
    db.session.commit()
    return True


def send_due(now: datetime) -> int:
    """The duty `mail.send`: send what is due by `now`; returns how many mails went."""
    ids = due_ids(now, int(current_app.config["MAIL_SEND_BATCH"]))
    db.session.rollback()  # end the read; each mail is claimed and recorded on its own
    if not ids:
        return 0
    backend = connection()
    sent = 0
    try:
        for email_id in ids:
            email = claim(email_id, now)
            if email is not None and send_one(email, backend, now):
                sent += 1
    except Unreachable:
        logger.warning("mail: the server cannot be reached; the rest waits for the next tick")
    finally:
        try:
            backend.close()
        except (OSError, smtplib.SMTPException):
            logger.info("mail: closing the connection failed", exc_info=True)
    return sent
