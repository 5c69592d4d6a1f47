"""Digests, on the worker (duty `mail.digests`): each person who chose a daily or a weekly
digest for some categories gets one e-mail summing up what they have not read of those
categories since their last digest: daily at DIGEST_HOUR in the company's zone, weekly on
Mondays at that hour.

Computed from the clock: a tick finds the latest digest moment (`moment`) and, for each person
with a digest choice and no record of that period yet, sums up their unread notifications of
those categories created in (since, moment] — `since` being the end of their previous digest
(at most CATCH_UP back: a worker that was down catches up) or one period before. A record
(`SentDigest`, unique per person and period) is written in the same transaction as the mail,
also when there was nothing to tell, so a period is done once; two workers write it once
(INSERT … ON CONFLICT DO NOTHING). Notifications created after the moment wait for the next.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import exists, select

from community.accounts.models import User
from community.core.time import company_tz, to_local
from community.core.transaction import insert_once
from community.extensions import db
from community.mail import outbox
from community.mail.links import absolute_url, app_url
from community.mail.models import SentDigest
from community.notifications.categories import (
    DIGESTS,
    Category,
    Delivery,
    category_label,
    category_of,
    kinds_in,
)
from community.notifications.kinds import registered
from community.notifications.models import Notification, NotificationPreference
from community.notifications.preferences import choices_for
from community.notifications.queries import shown

logger = logging.getLogger(__name__)

LENGTH = {Delivery.DAILY: timedelta(days=1), Delivery.WEEKLY: timedelta(weeks=1)}
CATCH_UP = {Delivery.DAILY: timedelta(days=7), Delivery.WEEKLY: timedelta(weeks=4)}
MOST = 50  # notifications listed in one digest (the mail says how many more there are)


def latest_moment(period: Delivery, now: datetime) -> datetime:
    """The latest digest moment of `period` at or before `now` (naive UTC): today's (or
    yesterday's) DIGEST_HOUR, or this (or last) Monday's, in the company's zone."""
    local = to_local(now, company_tz())
    moment = local.replace(
        hour=int(current_app.config["DIGEST_HOUR"]), minute=0, second=0, microsecond=0
    )
    if period == Delivery.WEEKLY:
        moment -= timedelta(days=moment.weekday())
    while moment > local:
        moment -= LENGTH[period]
    return moment.astimezone(UTC).replace(tzinfo=None)


def period_key(period: Delivery, moment: datetime) -> str:
    """The day ("2026-12-04") or ISO week ("2026-W49") a digest moment names, company zone."""
    local = to_local(moment, company_tz())
    if period == Delivery.WEEKLY:
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def _waiting(period: Delivery, moment: datetime) -> list[int]:
    """Active people who had chosen a digest of `period` by `moment` and have none recorded
    for it (someone who chose it at 7:00 gets their first at the next 8:00, not yesterday's)."""
    done = exists().where(
        SentDigest.user_id == User.id,
        SentDigest.period == period.value,
        SentDigest.period_key == period_key(period, moment),
    )
    chosen = exists().where(
        NotificationPreference.user_id == User.id,
        NotificationPreference.delivery == period,
        NotificationPreference.updated_at <= moment,
    )
    return list(
        db.session.scalars(
            select(User.id).where(User.is_active_account.is_(True), chosen, ~done).order_by(User.id)
        )
    )


def _since(user_id: int, period: Delivery, moment: datetime) -> datetime:
    previous = db.session.scalar(
        select(SentDigest.until)
        .where(SentDigest.user_id == user_id, SentDigest.period == period.value)
        .order_by(SentDigest.until.desc())
        .limit(1)
    )
    if previous is None:
        return moment - LENGTH[period]
    return max(previous, moment - CATCH_UP[period])


def _digest_mail(
    user: User, period: Delivery, notes: list[Notification], moment: datetime
) -> tuple[str, str, str | None]:
    locale = user.locale or str(current_app.config["DEFAULT_LOCALE"])
    with force_locale(locale):
        groups: dict[Category, list[dict[str, Any]]] = {}
        for note in notes[:MOST]:
            groups.setdefault(category_of(note.kind), []).append(
                {
                    "shown": shown(note),
                    "at": note.created_at,
                    "link": absolute_url(note.link) if note.link else None,
                }
            )
        sections = [(category_label(category), items) for category, items in groups.items()]
    return outbox.render(
        "digest",
        locale,
        period=period.value,
        count=len(notes),
        more=max(len(notes) - MOST, 0),
        sections=sections,
        moment=moment,
        inbox=app_url("notifications.index"),
    )


def send_one(user_id: int, period: Delivery, moment: datetime) -> bool:
    """Record `user_id`'s digest of the period ending at `moment` and queue its mail, in the
    caller's transaction; False when there was nothing to tell or it was done already."""
    key = period_key(period, moment)
    categories = {category for category, chosen in choices_for(user_id).items() if chosen == period}
    since = _since(user_id, period, moment)
    kinds = kinds_in(categories, registered())
    notes = (
        list(
            db.session.scalars(
                select(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.read_at.is_(None),
                    Notification.kind.in_(kinds),
                    Notification.created_at > since,
                    Notification.created_at <= moment,
                )
                .order_by(Notification.created_at, Notification.id)
            )
        )
        if kinds
        else []
    )
    values = {
        "user_id": user_id,
        "period": period.value,
        "period_key": key,
        "since": since,
        "until": moment,
        "notification_ids": [note.id for note in notes],
    }
    digest_id = insert_once(SentDigest, values, ["user_id", "period", "period_key"])
    if digest_id is None or not notes:
        return False
    user = db.session.get(User, user_id)
    assert user is not None
    subject, text, html = _digest_mail(user, period, notes, moment)
    with force_locale(user.locale or str(current_app.config["DEFAULT_LOCALE"])):
        email = outbox.add(
            user.email, subject, text, html, kind=f"digest_{period.value}", user_id=user_id
        )
    db.session.flush()
    digest = db.session.get(SentDigest, digest_id)
    assert digest is not None
    digest.email_id = email.id
    return True


def send_digests(now: datetime) -> int:
    """The duty `mail.digests`: every digest due by `now`, each person in their own
    transaction; returns how many digest mails were queued."""
    sent = 0
    for period in DIGESTS:
        moment = latest_moment(period, now)
        people = _waiting(period, moment)
        db.session.rollback()  # end the read; each person is done in their own transaction
        for user_id in people:
            try:
                sent += send_one(user_id, period, moment)
                db.session.commit()
            except Exception:
                db.session.rollback()
                logger.exception("mail: the %s digest of user %s failed", period.value, user_id)
    return sent
