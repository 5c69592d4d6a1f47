"""Moving what the services wrote back in time. The services write "now": the seed notes the
newest event and notification ids before a call and re-dates whatever came after them, at a
plausible hour of the day; notifications that reached people days ago are marked read."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select, update

from community.core.time import company_tz, to_local
from community.extensions import db
from community.notifications.models import Notification
from community.referrals.models import ReferralEvent

SUBMISSION_HOURS = (8, 22)  # referrers write in the evening too
OFFICE_HOURS = (9, 18)  # HR moves referrals during the working day


def last_ids() -> tuple[int, int]:
    """The newest event and notification ids: what a service call writes next comes after them."""
    return (
        db.session.scalar(select(func.max(ReferralEvent.id))) or 0,
        db.session.scalar(select(func.max(Notification.id))) or 0,
    )


def backdate_since(mark: tuple[int, int], moment: datetime) -> None:
    """Date the events and notifications written since `mark` at `moment` (uncommitted)."""
    last_event, last_notification = mark
    db.session.execute(
        update(ReferralEvent).where(ReferralEvent.id > last_event).values(created_at=moment)
    )
    db.session.execute(
        update(Notification).where(Notification.id > last_notification).values(created_at=moment)
    )


def at_hour(
    rng: random.Random,
    moment: datetime,
    hours: tuple[int, int],
    after: datetime | None,
    now: datetime,
) -> datetime:
    """`moment` moved to a plausible time: within `hours` (local time) of its day, or of the next
    working day when that day has no room left, always after `after` and before now."""
    earliest = after + timedelta(minutes=10) if after else None
    local_day = to_local(moment).date()
    for offset in range(4):
        day = local_day + timedelta(days=offset)
        if hours == OFFICE_HOURS and day.weekday() >= 5:
            continue
        start = naive_utc(datetime.combine(day, time(hours[0]), company_tz()))
        end = naive_utc(datetime.combine(day, time(hours[1], 59), company_tz()))
        low = max(start, earliest) if earliest else start
        high = min(end, now - timedelta(minutes=1))
        if low < high:
            return low + timedelta(seconds=rng.randint(0, int((high - low).total_seconds())))
    # No room in office hours before now (a step minutes ago): keep the moment, in order.
    moment = moment.replace(microsecond=0)
    if earliest is None or earliest < moment:
        return moment
    return after + (now - after) / 2 if after else moment


def naive_utc(moment: datetime) -> datetime:
    """`moment` as the naive UTC time the database stores, to the second."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def read_old_notifications(rng: random.Random, after_id: int, now: datetime) -> None:
    """People read what reached them days ago; only the last few days stay unread."""
    cutoff = now - timedelta(days=3)
    old = db.session.scalars(
        select(Notification).where(
            Notification.id > after_id,
            Notification.read_at.is_(None),
            Notification.created_at < cutoff,
        )
    )
    for notification in old:
        read = notification.created_at + timedelta(hours=rng.uniform(0.2, 30.0))
        notification.read_at = min(read, now)
    db.session.commit()
