"""Writing notifications: a notice becomes rows in the caller's transaction, so a notification
never announces something that did not happen; reading marks them read.

What one cause sets off for one person is one notification (`gather`, then `deliver_gathered`
when the cause has settled): its lead and, under it, the other notices as detail lines, kept as
kinds and params (`details`) and rendered when read, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, literal, select, update
from sqlalchemy.types import JSON, String

from community import events
from community.core.time import utcnow
from community.extensions import db
from community.notifications.kinds import Notice, combine
from community.notifications.models import Notification

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
    are dropped. Returns how many notifications were written."""
    by_person: dict[int, list[tuple[Notice, bool]]] = {}
    for recipients, notice, from_cause in gathered:
        for user_id in recipients:
            by_person.setdefault(user_id, []).append((notice, from_cause))
    written = 0
    for user_id, notices in by_person.items():
        standing = [(notice, from_cause) for notice, from_cause in notices if notice.standalone]
        if not standing:
            continue
        lead = next((notice for notice, from_cause in standing if from_cause), standing[0][0])
        details: list[dict[str, Any]] = []
        for notice, _from_cause in notices:
            if notice is not lead:
                _add_detail(details, notice)
        notify(user_id, lead.kind, lead.params, lead.link, lead.at, details=details)
        written += 1
    return written


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
