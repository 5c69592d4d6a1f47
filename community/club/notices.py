"""What the club tells a person: they joined (and why), they left (and HR's reason), they became
or stopped being a moderator."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from community import events
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register

JOINED = "club_joined"
LEFT = "club_left"
MODERATOR = "club_moderator"
NOT_MODERATOR = "club_not_moderator"
KINDS = {"joined": JOINED, "left": LEFT, "moderator": MODERATOR, "not-moderator": NOT_MODERATOR}


def _joined(params: dict[str, Any]) -> str:
    if params.get("source") == "hire":
        return _("Your first hire made you a member of the referrer club. Welcome!")
    if params.get("source") == "level":
        return _("Your points made you a member of the referrer club. Welcome!")
    return _("HR made you a member of the referrer club. Welcome!")


def _joined_line(params: dict[str, Any]) -> str:
    return _("You are now a member of the referrer club.")


def _left(params: dict[str, Any]) -> str:
    return _("HR took you out of the referrer club: %(reason)s", reason=params.get("reason", ""))


def _moderator(params: dict[str, Any]) -> str:
    return _("HR made you a moderator of the referrer club.")


def _not_moderator(params: dict[str, Any]) -> str:
    return _("You no longer moderate the referrer club.")


def changed(event: events.ClubMembershipChanged) -> Notice:
    return Notice(
        KINDS[event.change],
        to=[event.user_id],
        params={"source": event.source, "reason": event.reason or ""},
        link=url("club.members"),
        at=event.at,
    )


def init_app() -> None:
    register(JOINED, _joined, line=_joined_line)
    register(LEFT, _left)
    register(MODERATOR, _moderator)
    register(NOT_MODERATOR, _not_moderator)
    notify_on(events.ClubMembershipChanged, changed)
