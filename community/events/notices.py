"""Events about telling people: notifications were written, and the program's rules changed
(news for everyone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from community.events.bus import Event, _event


@_event("notifications-delivered")
class NotificationsDelivered(Event):
    """Notifications were written (`notifications.services`: `deliver`, `deliver_gathered`),
    after the preferences of the people were applied (nobody who turned the kind off is in it).

    One by one: `notification_ids` names the rows (a listener loads them, one query; each has
    its own kind, `kind` is the first's). For
    everyone at once (one INSERT … SELECT, an announcement, a challenge's start): no ids, but
    `recipients`, the SELECT of the user ids that got `kind` with `params` and `link` (a
    listener joins it, so the event stays small however many people it reached).
    Listeners: mail (e-mail now for the people who chose it)."""

    kind: str
    at: datetime
    notification_ids: tuple[int, ...] = ()
    recipients: Any = None  # a Select of user ids, for a delivery to many at once
    params: Any = None  # (dict) the shared params of a delivery to many
    link: str | None = None


@_event("program-rules-changed")
class ProgramRulesChanged(Event):
    """HR saved a new version of the program rules that differs from the one before
    (`program.services.save_rules`). `changes`: what changed, as (field, before, after) with
    plain values (numbers, lists of ids, {stage: percent} mappings); `previous_id` is None when
    the defaults were in force. Listeners: mail (tell everyone in the app, and by e-mail to
    everyone who did not unsubscribe from announcements)."""

    rules_id: int
    previous_id: int | None
    actor_id: int | None
    changes: tuple[tuple[str, Any, Any], ...]
    at: datetime
