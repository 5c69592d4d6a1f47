"""Writing notifications, and turning one into text in the reader's language.

`notify()` only adds a row to the caller's session: it is committed (or rolled back) together with
the event it reports, so a notification never announces something that did not happen.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.notifications.models import Notification, NotificationKind


def notify(
    user: User | int,
    kind: NotificationKind,
    params: dict[str, Any] | None = None,
    link: str | None = None,
) -> Notification:
    """Queue a notification for `user` in the current transaction (the caller commits).

    `params` are plain values (names, titles, stage values); the text is rendered when it is read,
    in the reader's language, by `message_for`.
    """
    user_id = user if isinstance(user, int) else user.id
    notification = Notification(
        user_id=user_id, kind=NotificationKind(kind), params=dict(params or {}), link=link
    )
    db.session.add(notification)
    return notification


def message_for(notification: Notification) -> str:
    """The notification's text in the current (reader's) language."""
    from community.referrals.labels import stage_label

    params = dict(notification.params or {})
    candidate = params.get("candidate", "")
    job = params.get("job", "")
    if notification.kind == NotificationKind.REFERRAL_STAGE:
        try:
            stage = stage_label(params.get("stage", ""))
        except ValueError:
            stage = str(params.get("stage", ""))
        if params.get("has_feedback"):
            return _(
                "Your referral of %(candidate)s for %(job)s moved to %(stage)s. HR left feedback for you.",
                candidate=candidate,
                job=job,
                stage=stage,
            )
        return _(
            "Your referral of %(candidate)s for %(job)s moved to %(stage)s.",
            candidate=candidate,
            job=job,
            stage=stage,
        )
    if notification.kind == NotificationKind.REFERRAL_LEFT:
        return _(
            "HR recorded that %(candidate)s, whom you referred for %(job)s, has left the company.",
            candidate=candidate,
            job=job,
        )
    if notification.kind == NotificationKind.REFERRAL_RECEIVED:
        return _(
            "%(referrer)s referred %(candidate)s for %(job)s. It is waiting for review.",
            referrer=params.get("referrer", ""),
            candidate=candidate,
            job=job,
        )
    return _("You have a new notification.")


def mark_read(user: User, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications read; None when it is not theirs (or does not exist)."""
    notification = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    ).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0
