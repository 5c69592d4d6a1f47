"""Reading notifications."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.core import viewer
from community.extensions import db
from community.notifications.models import Notification

viewer.register_count("unread_notifications", Notification.user_id, Notification.read_at.is_(None))


def recent_for(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )
