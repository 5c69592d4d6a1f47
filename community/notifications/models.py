"""In-app notifications. The text is rendered in the reader's language when shown."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class NotificationKind(enum.StrEnum):
    REFERRAL_STAGE = "referral_stage"
    REFERRAL_LEFT = "referral_left"
    REFERRAL_RECEIVED = "referral_received"
    PAYOUT_CREATED = "payout_created"
    PAYOUT_APPROVED = "payout_approved"
    PAYOUT_PAID = "payout_paid"
    PAYOUT_CANCELLED = "payout_cancelled"
    ANNOUNCEMENT = "announcement"
    REDEMPTION_PENDING = "redemption_pending"
    REDEMPTION_APPROVED = "redemption_approved"
    REDEMPTION_REJECTED = "redemption_rejected"
    BADGE_EARNED = "badge_earned"


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, length=40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
