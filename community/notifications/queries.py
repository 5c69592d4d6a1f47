"""Reading notifications: a person's inbox, page by page, each notification rendered in the
reader's language when shown (its message, the words it quotes, its detail lines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from community.core import viewer
from community.extensions import db
from community.notifications.kinds import quotes, render, render_line
from community.notifications.models import Notification

PER_PAGE = 20

viewer.register_count("unread_notifications", Notification.user_id, Notification.read_at.is_(None))


@dataclass(frozen=True)
class Line:
    """One detail line under a notification: its text, where it leads, what it quotes."""

    text: str
    link: str | None = None
    quotes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Shown:
    """A notification as the reader sees it: the message, the words it quotes (HR's feedback,
    as written), and the lines of what the same cause brought (points, a badge, a bonus)."""

    text: str
    quotes: list[tuple[str, str]]
    lines: list[Line]


def _inbox(user_id: int) -> Select[tuple[Notification]]:
    return (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def recent_for(user_id: int, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(_inbox(user_id).limit(limit)))


def page_for(user_id: int, page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of the person's notifications, newest first (a page past the last is empty)."""
    return db.paginate(_inbox(user_id), page=page, per_page=per_page, error_out=False)


def get_own(user_id: int, notification_id: int) -> Notification:
    """The person's notification, or 404 (someone else's is as missing as one that never was)."""
    notification = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    ).first()
    if notification is None:
        abort(404)
    return notification


def message_for(notification: Notification) -> str:
    """The notification's text in the current (reader's) language."""
    return render(notification.kind, dict(notification.params or {}))


def shown(notification: Notification) -> Shown:
    """Everything the notification says, in the current (reader's) language."""
    params = dict(notification.params or {})
    return Shown(
        text=render(notification.kind, params),
        quotes=quotes(notification.kind, params),
        lines=[_line(detail) for detail in notification.details or [] if isinstance(detail, dict)],
    )


def _line(detail: dict[str, Any]) -> Line:
    kind, params = str(detail.get("kind", "")), dict(detail.get("params") or {})
    link = detail.get("link")
    return Line(
        render_line(kind, params), link if isinstance(link, str) else None, quotes(kind, params)
    )
