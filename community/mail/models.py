"""The outbox, and the digests sent. Every e-mail the app sends is first a row here, written in the transaction of
what it announces (so a rolled-back change sends nothing), then sent by the worker
(`mail.send`) with retries. The row keeps what was sent, so HR's outbox page shows it.

Times are naive UTC. `next_attempt_at` is when the worker may (next) try; a try claims the row
by moving it forward first (`sending.claim`), so two workers never send it twice at once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # refused for good, or out of attempts: never tried again


class OutboundEmail(db.Model):
    """One e-mail to one address. `kind` says what it is ("notification", "digest",
    "announcement", a room's own word): the outbox page filters by it and the recipient's
    unsubscribe works per kind of mail. `locale` is the language it was written in;
    `headers` extra headers (List-Unsubscribe …)."""

    __tablename__ = "outbound_emails"
    __table_args__ = (Index("ix_outbound_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(10))
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus), default=EmailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]


class SentDigest(db.Model):
    """One person's digest of one period ("daily" or "weekly"; `period_key` names the day,
    "2026-12-04", or the ISO week, "2026-W49", in the company's zone): which notifications it
    summed up (`notification_ids`, unread ones created in (`since`, `until`]) and the mail
    (`email_id`; None when there was nothing to tell, which is recorded too, so the period is
    done). The unique key makes a digest go once per person and period, even from two workers.
    """

    __tablename__ = "mail_digests"
    __table_args__ = (UniqueConstraint("user_id", "period", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # (first of the unique key)
    period: Mapped[str] = mapped_column(String(10))
    period_key: Mapped[str] = mapped_column(String(10))
    since: Mapped[datetime]
    until: Mapped[datetime]
    notification_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    email_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_emails.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
