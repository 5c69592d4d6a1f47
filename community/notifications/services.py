"""Writing notifications: a notice becomes rows in the caller's transaction, so a notification
never announces something that did not happen; reading marks them read. And the person's
choices of how to hear about each category (`set_delivery`, `save_preferences`): a category
turned off is written for nobody who chose that.

What one cause sets off for one person is one notification (`gather`, then `deliver_gathered`
when the cause has settled): its lead and, under it, the other notices as detail lines, kept as
kinds and params (`details`) and rendered when read, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, insert, literal, select, update
from sqlalchemy.types import JSON, String

from community import events
from community.core.errors import DomainError
from community.core.time import utcnow
from community.core.transaction import committed, insert_once
from community.extensions import db
from community.notifications.categories import Category, Delivery, category_label, category_of
from community.notifications.kinds import Notice, combine
from community.notifications.models import Notification, NotificationPreference
from community.notifications.preferences import choices_of, hears_of

_GATHERED = "notifications"


def notify(
    user_id: int,
    kind: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
    at: datetime | None = None,
    *,
    details: Iterable[dict[str, Any]] = (),
) -> Notification:
    """Queue one notification for `user_id` in the current transaction (the caller commits).
    `details`: its detail lines, each a dict of `kind`, `params` and optionally `link`."""
    notification = Notification(
        user_id=user_id,
        kind=kind,
        params=dict(params or {}),
        link=link,
        created_at=at or utcnow(),
        details=[dict(detail) for detail in details],
    )
    db.session.add(notification)
    return notification


def deliver(notice: Notice) -> int:
    """Write `notice` for each of its recipients, on its own; a SELECT of ids is written by one
    INSERT … SELECT however many people it names. Nobody who turned the notice's category off
    gets it. Publishes `NotificationsDelivered`. Returns how many rows (-1 when unknown)."""
    moment = notice.at or utcnow()
    category = category_of(notice.kind)
    if isinstance(notice.to, Select):
        person = notice.to.subquery().c[0]
        recipients = select(person).where(hears_of(person, category))
        rows = select(
            person,
            literal(notice.kind),
            literal(dict(notice.params), JSON),
            literal(notice.link, String),
            literal(moment),
        ).where(hears_of(person, category))
        db.session.execute(
            insert(Notification).from_select(
                ["user_id", "kind", "params", "link", "created_at"], rows
            )
        )
        events.publish(
            events.NotificationsDelivered(
                kind=notice.kind,
                at=moment,
                recipients=recipients,
                params=dict(notice.params),
                link=notice.link,
            )
        )
        return -1
    off = _turned_off(notice.to)
    people = [user_id for user_id in dict.fromkeys(notice.to) if (user_id, category) not in off]
    written = [
        notify(user_id, notice.kind, notice.params, notice.link, moment) for user_id in people
    ]
    _delivered(notice.kind, moment, written)
    return len(written)


def _turned_off(user_ids: Iterable[int]) -> set[tuple[int, Category]]:
    """The (person, category) pairs these people turned off."""
    return {
        (user_id, category)
        for user_id, choices in choices_of(user_ids).items()
        for category, delivery in choices.items()
        if delivery == Delivery.OFF
    }


def _delivered(kind: str, moment: datetime, written: list[Notification]) -> None:
    """Publish that these rows were written (flushed first, for their ids)."""
    if not written:
        return
    db.session.flush()
    events.publish(
        events.NotificationsDelivered(
            kind=kind, at=moment, notification_ids=tuple(row.id for row in written)
        )
    )


def gather(notice: Notice, event: events.Event) -> None:
    """Keep `notice`, which `event` caused, for the one notification per person its cause makes
    (written by `deliver_gathered` once the cause has settled). A notice for everyone (a SELECT
    of ids) is written at once, on its own: it is news for all, not a detail of anyone's."""
    cause = events.cause()
    if cause is None or isinstance(notice.to, Select):
        if notice.standalone:
            deliver(notice)
        return
    gathered: list[tuple[tuple[int, ...], Notice, bool]] | None = cause.info.get(_GATHERED)
    if gathered is None:
        gathered = cause.info[_GATHERED] = []
        cause.when_settled(_GATHERED, lambda: deliver_gathered(gathered))
    recipients = tuple(dict.fromkeys(notice.to))
    gathered.append((recipients, notice, event is cause.event))


def deliver_gathered(gathered: list[tuple[tuple[int, ...], Notice, bool]]) -> int:
    """Write one notification per person for the notices one cause gathered: it leads with the
    notice of the cause itself (the move of a referral, not the badge the move earned), or else
    the first that may stand alone; the rest become its detail lines, in the order they
    happened, two of a kind combined where the kind says how. Lines with nothing to stand under
    are dropped, and so is every notice of a category the person turned off. Publishes
    `NotificationsDelivered` once. Returns how many notifications were written."""
    by_person: dict[int, list[tuple[Notice, bool]]] = {}
    for recipients, notice, from_cause in gathered:
        for user_id in recipients:
            by_person.setdefault(user_id, []).append((notice, from_cause))
    off = _turned_off(by_person)
    written: list[Notification] = []
    for user_id, everything in by_person.items():
        notices = [
            (notice, from_cause)
            for notice, from_cause in everything
            if (user_id, category_of(notice.kind)) not in off
        ]
        standing = [(notice, from_cause) for notice, from_cause in notices if notice.standalone]
        if not standing:
            continue
        lead = next((notice for notice, from_cause in standing if from_cause), standing[0][0])
        details: list[dict[str, Any]] = []
        for notice, _from_cause in notices:
            if notice is not lead:
                _add_detail(details, notice)
        written.append(notify(user_id, lead.kind, lead.params, lead.link, lead.at, details=details))
    if written:
        db.session.flush()
        events.publish(
            events.NotificationsDelivered(
                kind=written[0].kind,
                at=written[0].created_at,
                notification_ids=tuple(row.id for row in written),
            )
        )
    return len(written)


def _add_detail(details: list[dict[str, Any]], notice: Notice) -> None:
    for detail in details:
        if detail["kind"] == notice.kind:
            combined = combine(notice.kind, detail["params"], dict(notice.params))
            if combined is not None:
                detail["params"] = combined
                return
    detail = {"kind": notice.kind, "params": dict(notice.params)}
    if notice.link:
        detail["link"] = notice.link
    details.append(detail)


def mark_read(notification: Notification) -> bool:
    """Mark the notification read (the caller made sure it is the reader's: `queries.get_own`);
    False when it was read already."""
    if notification.read_at is not None:
        return False
    notification.read_at = utcnow()
    db.session.commit()
    return True


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0


class PreferenceError(DomainError):
    """A choice of how to hear about notifications that cannot be saved (the message says why,
    in the reader's language)."""


def set_delivery(user_id: int, category: Category, delivery: Delivery) -> Delivery:
    """Set how the person hears about `category`, in the caller's transaction (two saves at
    once write one row: the pair is unique). Returns the choice it replaced."""
    before = choices_of([user_id])[user_id][category]
    values = {
        "user_id": user_id,
        "category": category,
        "delivery": delivery,
        "updated_at": utcnow(),
    }
    if insert_once(NotificationPreference, values, ["user_id", "category"]) is None:
        db.session.execute(
            update(NotificationPreference)
            .where(
                NotificationPreference.user_id == user_id,
                NotificationPreference.category == category,
            )
            .values(delivery=delivery, updated_at=values["updated_at"])
        )
    return before


def save_preferences(user_id: int, chosen: Mapping[str, str]) -> list[Category]:
    """Save the person's choice for every category from a form (`chosen`: category → delivery,
    as sent). Every category must have a known choice, or nothing is written and the
    PreferenceError names the first that has none. Returns the categories that changed."""
    parsed: dict[Category, Delivery] = {}
    for category in Category:
        raw = (chosen.get(category.value) or "").strip()
        if raw not in {delivery.value for delivery in Delivery}:
            raise PreferenceError(
                _(
                    "Choose how you want to hear about “%(category)s”.",
                    category=category_label(category),
                ),
                field=category.value,
            )
        parsed[category] = Delivery(raw)
    current = choices_of([user_id])[user_id]
    changed = [category for category in Category if parsed[category] != current[category]]
    with committed():
        for category in changed:
            set_delivery(user_id, category, parsed[category])
    return changed
