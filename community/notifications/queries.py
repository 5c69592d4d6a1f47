"""Reading notifications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from community.accounts.models import User
from community.core import viewer
from community.extensions import db
from community.notifications.models import Notification


def _unread(user_id: int) -> Any:
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


viewer.register_counter("unread_notifications", _unread)


def unread_count(user: User) -> int:
    return db.session.scalar(select(_unread(user.id))) or 0


def recent_for(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )
