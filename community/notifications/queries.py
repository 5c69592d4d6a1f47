"""Reading notifications."""

from __future__ import annotations

from sqlalchemy import select

from community.core import viewer
from community.extensions import db
from community.notifications.kinds import render
from community.notifications.models import Notification

viewer.register_count("unread_notifications", Notification.user_id, Notification.read_at.is_(None))


def recent_for(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def message_for(notification: Notification) -> str:
    """The notification's text in the current (reader's) language."""
    return render(notification.kind, dict(notification.params or {}))
