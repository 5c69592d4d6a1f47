"""The projection's outbox: ledger entries not yet applied to the Redis boards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from community.core.time import utcnow
from community.extensions import db


class PendingProjection(db.Model):
    """A row is written with its ledger entry (same transaction, by the `PointsRecorded`
    listener) and deleted once Redis has the entry, so an entry written while Redis was down is
    applied later; the ledger itself stays append-only."""

    __tablename__ = "points_pending_projection"

    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
