"""In-app notifications, and how each person wants to hear of them. The text is rendered in the
reader's language when shown, from the `kind` (a key of `notifications.kinds`) and its plain
`params`; `details` are the lines under it, from what the same cause set off (each a dict of
`kind`, `params` and maybe `link`; None on notifications written before they were grouped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.notifications.categories import Category, Delivery


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    details: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)


class NotificationPreference(db.Model):
    """How one person hears about one category of notifications (`preferences.Category`): in
    the app only, by e-mail at once, in a daily or weekly digest, or not at all. No row: the
    category's default (`preferences.DEFAULTS`)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # (first of the unique pair)
    category: Mapped[Category] = mapped_column(enum_column(Category))
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
