"""The notifications sessions send: a seat came free for you, a session moved or was cancelled,
and the reminders a day and an hour before.

Params are plain data (the title in both languages, the start as ISO text in UTC), rendered when
read: the title in the reader's language, the start in the company's zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import format_date, format_time
from flask_babel import gettext as _

from community import events
from community.core.links import url
from community.core.localized import choose
from community.core.time import to_local
from community.notifications.kinds import Notice, notify_on, register

SEAT_GIVEN = "sharing_seat_given"
CHANGED = "sharing_changed"
CANCELLED = "sharing_cancelled"
REMINDER_DAY = "sharing_reminder_day"
REMINDER_HOUR = "sharing_reminder_hour"


def _title(params: dict[str, Any]) -> str:
    return choose(params.get("title"), params.get("title_en")).text


def _when(params: dict[str, Any]) -> str:
    try:
        moment = to_local(datetime.fromisoformat(str(params.get("when"))))
    except ValueError:
        return ""
    return f"{format_date(moment, 'medium', rebase=False)} {format_time(moment, 'short', rebase=False)}"


def _seat_given(params: dict[str, Any]) -> str:
    return _(
        "A seat came free: you are now going to “%(title)s” on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _changed(params: dict[str, Any]) -> str:
    return _(
        "“%(title)s” changed its time or place: it is now on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _cancelled(params: dict[str, Any]) -> str:
    return _("“%(title)s” on %(when)s was cancelled.", title=_title(params), when=_when(params))


def _cancel_quotes(params: dict[str, Any]) -> list[tuple[str, str]]:
    reason = str(params.get("reason") or "")
    return [(_("Reason"), reason)] if reason else []


def _reminder_day(params: dict[str, Any]) -> str:
    return _(
        "Reminder: “%(title)s” is on %(when)s. Can no longer come? Cancel to give your seat to someone waiting.",
        title=_title(params),
        when=_when(params),
    )


def _reminder_hour(params: dict[str, Any]) -> str:
    return _(
        "“%(title)s” starts within the hour, at %(when)s.", title=_title(params), when=_when(params)
    )


def _params(event: Any, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": event.session_id,
        "title": event.title,
        "title_en": event.title_en,
        "when": event.starts_at.isoformat(),
        **extra,
    }


def _link(session_id: int) -> str:
    return url("sharing.detail", session_id=session_id)


def seat_given(event: events.SharingSeatGiven) -> Notice:
    return Notice(
        SEAT_GIVEN,
        to=[event.user_id],
        params=_params(event),
        link=_link(event.session_id),
        at=event.at,
    )


def changed(event: events.SharingSessionChanged) -> Notice:
    return Notice(
        CHANGED, to=event.people, params=_params(event), link=_link(event.session_id), at=event.at
    )


def cancelled(event: events.SharingSessionCancelled) -> Notice:
    return Notice(
        CANCELLED,
        to=event.people,
        params=_params(event, reason=event.reason),
        link=_link(event.session_id),
        at=event.at,
    )


def reminder(event: events.SharingReminderDue) -> Notice:
    return Notice(
        REMINDER_HOUR if event.hours == 1 else REMINDER_DAY,
        to=event.people,
        params=_params(event),
        link=_link(event.session_id),
        at=event.at,
    )


def init_app() -> None:
    register(SEAT_GIVEN, _seat_given)
    register(CHANGED, _changed)
    register(CANCELLED, _cancelled, quotes=_cancel_quotes)
    register(REMINDER_DAY, _reminder_day)
    register(REMINDER_HOUR, _reminder_hour)
    notify_on(events.SharingSeatGiven, seat_given)
    notify_on(events.SharingSessionChanged, changed)
    notify_on(events.SharingSessionCancelled, cancelled)
    notify_on(events.SharingReminderDue, reminder)
