"""Writing notifications, and turning one into text in the reader's language.

`notify()` only adds a row to the caller's session: it is committed (or rolled back) together with
the event it reports, so a notification never announces something that did not happen.
"""

from __future__ import annotations

from datetime import date
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
    if notification.kind in PAYOUT_KINDS:
        return _payout_message(notification.kind, params)
    if notification.kind == NotificationKind.ANNOUNCEMENT:
        return _(
            "HR posted an announcement on the thanks wall: %(title)s",
            title=params.get("title", ""),
        )
    if notification.kind in REDEMPTION_KINDS:
        return _redemption_message(notification.kind, params)
    if notification.kind == NotificationKind.BADGE_EARNED:
        from community.badges.registry import get as get_badge

        badge = get_badge(str(params.get("badge", "")))
        name = badge.label(str(params.get("tier", ""))) if badge else str(params.get("badge", ""))
        if params.get("granted"):
            return _("HR granted you the badge %(badge)s.", badge=name)
        return _("You earned the badge %(badge)s.", badge=name)
    return _("You have a new notification.")


PAYOUT_KINDS = frozenset(
    {
        NotificationKind.PAYOUT_CREATED,
        NotificationKind.PAYOUT_APPROVED,
        NotificationKind.PAYOUT_PAID,
        NotificationKind.PAYOUT_CANCELLED,
    }
)


def _payout_message(kind: NotificationKind, params: dict[str, Any]) -> str:
    from flask_babel import format_date, get_locale

    from community.core.money import Money
    from community.referrals.labels import stage_label

    try:
        amount = Money(int(params.get("amount_minor", 0)), str(params.get("currency", "CNY")))
        shown_amount = amount.format(str(get_locale() or "zh_CN"))
        stage = stage_label(params.get("stage", ""))
    except (TypeError, ValueError):
        shown_amount, stage = "", str(params.get("stage", ""))
    values = {
        "amount": shown_amount,
        "stage": stage,
        "candidate": params.get("candidate", ""),
        "job": params.get("job", ""),
    }
    if kind == NotificationKind.PAYOUT_CREATED:
        return _(
            "You earned a bonus of %(amount)s: %(candidate)s reached %(stage)s for %(job)s. HR will approve it next.",
            **values,
        )
    if kind == NotificationKind.PAYOUT_APPROVED:
        return _(
            "HR approved your bonus of %(amount)s for referring %(candidate)s (%(stage)s). It goes to payroll next.",
            **values,
        )
    if kind == NotificationKind.PAYOUT_PAID:
        paid_on = _date_param(params.get("paid_on"))
        return _(
            "Your bonus of %(amount)s for referring %(candidate)s (%(stage)s) was paid on %(date)s.",
            date=format_date(paid_on, "medium") if paid_on else "",
            **values,
        )
    if params.get("cause") == "left_company":
        left_on = _date_param(params.get("left_on"))
        return _(
            "The %(stage)s bonus of %(amount)s for referring %(candidate)s is cancelled: they left the company on %(date)s, before probation passed.",
            date=format_date(left_on, "medium") if left_on else "",
            **values,
        )
    return _(
        "HR cancelled your bonus of %(amount)s for referring %(candidate)s (%(stage)s). Reason: %(reason)s",
        reason=params.get("reason", ""),
        **values,
    )


REDEMPTION_KINDS = frozenset(
    {
        NotificationKind.REDEMPTION_PENDING,
        NotificationKind.REDEMPTION_APPROVED,
        NotificationKind.REDEMPTION_REJECTED,
    }
)


def _redemption_message(kind: NotificationKind, params: dict[str, Any]) -> str:
    from community.core.i18n import current_locale

    perk = params.get("perk_zh") if current_locale() == "zh_CN" else params.get("perk_en")
    values = {"perk": perk or params.get("perk_en", ""), "points": params.get("points", "")}
    if kind == NotificationKind.REDEMPTION_PENDING:
        return _(
            "%(employee)s redeemed %(perk)s for %(points)s points. It waits for your approval.",
            employee=params.get("employee", ""),
            **values,
        )
    if kind == NotificationKind.REDEMPTION_APPROVED:
        return _("HR approved your redemption of %(perk)s (%(points)s points). Enjoy!", **values)
    return _(
        "HR rejected your redemption of %(perk)s; your %(points)s points are back. Reason: %(reason)s",
        reason=params.get("reason", ""),
        **values,
    )


def _date_param(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


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
