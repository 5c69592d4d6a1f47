"""Writing notifications: a notice becomes rows in the caller's transaction, so a notification
never announces something that did not happen; reading marks them read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, literal, select, update
from sqlalchemy.types import JSON, String

from community.core.time import utcnow
from community.extensions import db
from community.notifications.kinds import Notice
from community.notifications.models import Notification


def notify(
    user_id: int,
    kind: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
    at: datetime | None = None,
) -> Notification:
    """Queue one notification for `user_id` in the current transaction (the caller commits)."""
    notification = Notification(
        user_id=user_id, kind=kind, params=dict(params or {}), link=link, created_at=at or utcnow()
    )
    db.session.add(notification)
    return notification


def deliver(notice: Notice) -> int:
    """Write `notice` for each of its recipients; a SELECT of ids is written by one
    INSERT … SELECT however many people it names. Returns how many rows (-1 when unknown)."""
    moment = notice.at or utcnow()
    if isinstance(notice.to, Select):
        rows = select(
            notice.to.subquery().c[0],
            literal(notice.kind),
            literal(dict(notice.params), JSON),
            literal(notice.link, String),
            literal(moment),
        )
        db.session.execute(
            insert(Notification).from_select(
                ["user_id", "kind", "params", "link", "created_at"], rows
            )
        )
        return -1
    recipients = list(dict.fromkeys(notice.to))
    for user_id in recipients:
        notify(user_id, notice.kind, notice.params, notice.link, moment)
    return len(recipients)


def mark_read(user_id: int, notification_id: int) -> Notification | None:
    """Mark one of the person's notifications read; None when it is not theirs (or is gone)."""
    notification = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    ).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0
