"""Text messages: a tiny backend protocol, the development backend, and the worker's sending.

A real backend is a class with `send(to, text)` named by `SMS_BACKEND` ("package.module:Class");
it is made with the app's config and raises `SMSError` (or anything) when the message did not
go. None is bundled: a vendor's SDK belongs in the deployment that has an account with it.
`OutboxSMS`, the default, writes each message as a file in `SMS_OUTBOX_PATH` (instance/sms-outbox),
so development and the demo send nothing anywhere.

Invitations queue their messages (`TextMessage`, in the invitation's transaction); the duty
`invites.send-sms` sends what is due, deletes what went, and tries a failed one again later
(1, 4, 16 … minutes, at most six hours apart) until `SMS_MAX_ATTEMPTS`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import select
from werkzeug.utils import import_string

from community.core.time import utcnow
from community.extensions import db
from community.invites.models import TextMessage, TextMessageStatus

logger = logging.getLogger(__name__)

BATCH = 100
LONGEST_WAIT = timedelta(hours=6)


class SMSError(Exception):
    """The backend could not send a message (the worker tries again later)."""


class SMSBackend(Protocol):
    """What a text-message backend does: send `text` to `to` (E.164), or raise."""

    def send(self, to: str, text: str) -> None: ...


class OutboxSMS:
    """Development: each message becomes a text file in SMS_OUTBOX_PATH."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.folder = Path(str(config["SMS_OUTBOX_PATH"]))

    def send(self, to: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (self.folder / name).write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")


def backend() -> SMSBackend:
    """The configured backend, made with the app's config."""
    factory = import_string(str(current_app.config["SMS_BACKEND"]))
    return factory(current_app.config)  # type: ignore[no-any-return]


def outbox_messages(folder: str | Path | None = None) -> list[tuple[str, str]]:
    """(number, text) of every message OutboxSMS wrote, oldest first (tests, the demo)."""
    path = Path(str(folder or current_app.config["SMS_OUTBOX_PATH"]))
    found = []
    for file in sorted(path.glob("*.txt")) if path.is_dir() else ():
        head, _blank, text = file.read_text(encoding="utf-8").partition("\n\n")
        found.append((head.removeprefix("To: ").strip(), text.strip()))
    return found


def queue(invitation_id: int, to: str, text: str) -> TextMessage:
    """Add a message to send, in the caller's transaction (never commits)."""
    message = TextMessage(invitation_id=invitation_id, to_number=to, body=text)
    db.session.add(message)
    return message


def _wait(attempts: int) -> timedelta:
    return min(timedelta(minutes=4 ** max(attempts - 1, 0)), LONGEST_WAIT)


def send_due(now: datetime) -> int:
    """Send the queued messages due by `now` (one commit each); how many went."""
    ids = db.session.scalars(
        select(TextMessage.id)
        .where(TextMessage.status == TextMessageStatus.QUEUED, TextMessage.next_attempt_at <= now)
        .order_by(TextMessage.id)
        .limit(BATCH)
    ).all()
    if not ids:
        return 0
    sender = backend()
    most = int(current_app.config.get("SMS_MAX_ATTEMPTS", 5))
    sent = 0
    for message_id in ids:
        message = db.session.scalars(
            select(TextMessage)
            .where(TextMessage.id == message_id, TextMessage.status == TextMessageStatus.QUEUED)
            .with_for_update(skip_locked=True)
        ).first()
        if message is None:  # another worker has it, or it went
            db.session.rollback()
            continue
        try:
            sender.send(message.to_number, message.body)
        except Exception as exc:  # any backend failure: try again later
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if message.attempts >= most:
                message.status = TextMessageStatus.FAILED
                logger.warning("sms %s failed for good: %s", message.id, message.last_error)
            else:
                message.next_attempt_at = now + _wait(message.attempts)
        else:
            db.session.delete(message)  # nothing of a sent message is kept
            sent += 1
        db.session.commit()
    return sent
