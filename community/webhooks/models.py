"""Signed webhooks: an ATS's stage changes coming in, our referral events going out.

Inbound: an `AtsSource` (one ATS, e.g. "greenhouse") has signing secrets (`SourceSecret`, several
active while HR rotates them), a stage mapping (`StageMapping`: their stage name → our `Stage`,
and a reason code for rejected or withdrawn), links between their application ids and our
referrals (`ApplicationLink`), and every event it sent that verified (`ReceivedEvent`: unique per
source and `webhook-id`, so a repeat writes nothing). Its `actor` is a deactivated account the
moves are recorded under ("Greenhouse (ATS)").

Outbound: an `Endpoint` (an address HR registered, the events it takes, its own secret), a
`Delivery` per event and endpoint (queued by a listener inside the transaction of what it tells,
sent by the worker's `webhooks.deliver`) and a `DeliveryAttempt` per try.

Secrets are stored encrypted (`webhooks.crypto`, Fernet with a key derived from SECRET_KEY): they
must be read back to compute an HMAC, so hashing them is not an option, but a database reader
without SECRET_KEY cannot use them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage


class AtsSource(db.Model):
    """An ATS that posts to `/webhooks/ats/<slug>`. `enabled`: HR's switch (off: 404)."""

    __tablename__ = "webhook_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    mappings: Mapped[list[StageMapping]] = relationship(
        back_populates="source", order_by="StageMapping.id", cascade="all, delete-orphan"
    )


class SourceSecret(db.Model):
    """One signing secret of a source ("whsec_…", encrypted). Active while `retired_at` is None
    and `expires_at` (if any) is in the future; a signature by any active one verifies."""

    __tablename__ = "webhook_source_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("webhook_sources.id"), index=True)
    encrypted: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(String(16))  # the last characters, to tell them apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def active(self, now: datetime) -> bool:
        return self.retired_at is None and (self.expires_at is None or self.expires_at > now)


class StageMapping(db.Model):
    """Their stage name (compared case-insensitively) → our stage; `reason_code` for rejected
    and withdrawn (`pipeline.reasons`)."""

    __tablename__ = "webhook_stage_mappings"
    __table_args__ = (UniqueConstraint("source_id", "ats_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("webhook_sources.id"))
    ats_stage: Mapped[str] = mapped_column(String(80))  # stored lower-cased
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    reason_code: Mapped[str | None] = mapped_column(String(40))

    source: Mapped[AtsSource] = relationship(back_populates="mappings")


class ApplicationLink(db.Model):
    """HR's link between the ATS's application id and our referral (one each way per source)."""

    __tablename__ = "webhook_application_links"
    __table_args__ = (
        UniqueConstraint("source_id", "application_id"),
        UniqueConstraint("source_id", "referral_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("webhook_sources.id"))
    application_id: Mapped[str] = mapped_column(String(80))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Outcome(enum.StrEnum):
    MOVED = "moved"  # the referral moved (through every stage on the way)
    IGNORED = "ignored"  # behind or at the referral's stage, or it is closed: recorded only


class ReceivedEvent(db.Model):
    """An inbound event that verified and was applied (or ignored as behind). Refused requests
    leave no row: their answer and the log say why."""

    __tablename__ = "webhook_received_events"
    __table_args__ = (UniqueConstraint("source_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("webhook_sources.id"))
    event_id: Mapped[str] = mapped_column(String(120))
    application_id: Mapped[str] = mapped_column(String(80))
    ats_stage: Mapped[str] = mapped_column(String(80))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class EventType(enum.StrEnum):
    SUBMITTED = "referral.submitted"
    STAGE_CHANGED = "referral.stage_changed"
    HIRED = "referral.hired"
    PAYOUT_DUE = "payout.due"


class Endpoint(db.Model):
    """An address HR registered for some of our events, with its own secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON)
    encrypted_secret: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(String(16))
    include_contact: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def takes(self, event_type: EventType) -> bool:
        return self.enabled and event_type.value in (self.events or [])


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (again, after a failed try)
    SENT = "sent"  # the endpoint answered 2xx
    FAILED = "failed"  # every try failed


class Delivery(db.Model):
    """One event for one endpoint. `message_id` is the `webhook-id` it is sent with (the same on
    every retry and replay, so the receiver can de-duplicate); `source_key` names what it tells,
    once per endpoint."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "source_key"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    event_type: Mapped[EventType] = mapped_column(enum_column(EventType, 40))
    message_id: Mapped[str] = mapped_column(String(60))
    source_key: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]

    endpoint: Mapped[Endpoint] = relationship()
    tries: Mapped[list[DeliveryAttempt]] = relationship(
        order_by="DeliveryAttempt.id", back_populates="delivery"
    )


class DeliveryAttempt(db.Model):
    """One try: when, the HTTP status (None when the endpoint could not be reached), the first
    500 characters of the answer or the error, how long it took."""

    __tablename__ = "webhook_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    response: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(default=0)
    replay: Mapped[bool] = mapped_column(default=False)

    delivery: Mapped[Delivery] = relationship(back_populates="tries")
