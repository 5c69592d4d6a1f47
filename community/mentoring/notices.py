"""What a pairing's changes tell its people (`events.MentorshipChanged`). Messages name people,
never a referral, a candidate or a note: the pair's words stay on the pairing page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register

Params = dict[str, Any]


def _requested(p: Params) -> str:
    return _("%(mentee)s asked you to be their mentor.", mentee=p.get("mentee", ""))


def _accepted(p: Params) -> str:
    return _("%(mentor)s accepted: they are your mentor now.", mentor=p.get("mentor", ""))


def _declined(p: Params) -> str:
    return _("%(mentor)s cannot mentor you now.", mentor=p.get("mentor", ""))


def _withdrawn(p: Params) -> str:
    return _("%(mentee)s withdrew their request for mentoring.", mentee=p.get("mentee", ""))


def _expired(p: Params) -> str:
    return _(
        "Your request to %(mentor)s expired without an answer. You can ask another mentor.",
        mentor=p.get("mentor", ""),
    )


def _paired(p: Params) -> str:
    return _(
        "HR paired %(mentor)s (mentor) with %(mentee)s (mentee).",
        mentor=p.get("mentor", ""),
        mentee=p.get("mentee", ""),
    )


def _goal_reached(p: Params) -> str:
    return _(
        "The goal of the mentoring of %(mentee)s by %(mentor)s is reached.",
        mentor=p.get("mentor", ""),
        mentee=p.get("mentee", ""),
    )


def _goal_due(p: Params) -> str:
    return _(
        "The goal of the mentoring of %(mentee)s by %(mentor)s is due today and not marked "
        "reached yet.",
        mentor=p.get("mentor", ""),
        mentee=p.get("mentee", ""),
    )


def _ended(p: Params) -> str:
    return _(
        "The mentoring of %(mentee)s by %(mentor)s has ended.",
        mentor=p.get("mentor", ""),
        mentee=p.get("mentee", ""),
    )


def _rewarded(p: Params) -> str:
    return ngettext(
        "The first referral of your mentee %(mentee)s passed screening: %(num)d point for you.",
        "The first referral of your mentee %(mentee)s passed screening: %(num)d points for you.",
        int(p.get("points", 0)),
        mentee=p.get("mentee", ""),
    )


def _reward_reversed(p: Params) -> str:
    return _(
        "The referral of your mentee %(mentee)s was found void (a duplicate or a self-referral): "
        "the mentoring reward was taken back.",
        mentee=p.get("mentee", ""),
    )


KINDS: dict[str, Callable[[Params], str]] = {
    "requested": _requested,
    "accepted": _accepted,
    "declined": _declined,
    "withdrawn": _withdrawn,
    "expired": _expired,
    "paired": _paired,
    "goal_reached": _goal_reached,
    "goal_due": _goal_due,
    "ended": _ended,
    "rewarded": _rewarded,
    "reward_reversed": _reward_reversed,
}
CHANGES = tuple(KINDS)


def _to(event: events.MentorshipChanged) -> list[int]:
    mentor, mentee = event.mentor_id, event.mentee_id
    if event.change in ("requested", "withdrawn", "rewarded", "reward_reversed"):
        return [mentor]
    if event.change in ("accepted", "declined", "expired"):
        return [mentee]
    return [who for who in (mentor, mentee) if who != event.actor_id]


def changed(event: events.MentorshipChanged) -> Notice | None:
    if event.change not in KINDS:
        return None
    to = _to(event)
    if not to:
        return None
    link = (
        url("mentoring.index")
        if event.change in ("declined", "withdrawn", "expired")
        else url("mentoring.pairing", pairing_id=event.pairing_id)
    )
    return Notice(
        f"mentoring_{event.change}",
        to=to,
        params={"mentor": event.mentor_name, "mentee": event.mentee_name, "points": event.points},
        link=link,
        at=event.at,
    )


def init_app() -> None:
    for change, render in KINDS.items():
        register(f"mentoring_{change}", render)
    notify_on(events.MentorshipChanged, changed)
