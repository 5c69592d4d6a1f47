"""The notification a badge sends: "you earned …" or "HR granted you …", linking to the
gallery."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from community import events
from community.badges.registry import get as get_badge
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register

EARNED = "badge_earned"
REVOKED = "badge_revoked"


def _name(params: dict[str, Any]) -> str:
    badge = get_badge(str(params.get("badge", "")))
    return badge.label(str(params.get("tier", ""))) if badge else str(params.get("badge", ""))


def _earned(params: dict[str, Any]) -> str:
    if params.get("granted"):
        return _("HR granted you the badge %(badge)s.", badge=_name(params))
    return _("You earned the badge %(badge)s.", badge=_name(params))


def _line(params: dict[str, Any]) -> str:
    """Under what earned it (a hire): the badge, in a word."""
    return _("New badge: %(badge)s", badge=_name(params))


def granted(event: events.BadgeGranted) -> Notice:
    return Notice(
        EARNED,
        to=(event.user_id,),
        params={
            "badge": event.badge_key,
            "tier": event.tier,
            "granted": event.granted_by_id is not None,
        },
        link=url("badges.gallery"),
        at=event.at,
    )


def _revoked(params: dict[str, Any]) -> str:
    return _(
        "HR revoked your badge %(badge)s: %(reason)s",
        badge=_name(params),
        reason=str(params.get("reason", "")),
    )


def revoked(event: events.BadgeRevoked) -> Notice:
    return Notice(
        REVOKED,
        to=(event.user_id,),
        params={"badge": event.badge_key, "tier": event.tier, "reason": event.reason},
        link=url("badges.gallery"),
        at=event.at,
    )


def init_app() -> None:
    register(EARNED, _earned, line=_line)
    register(REVOKED, _revoked)
    notify_on(events.BadgeGranted, granted)
    notify_on(events.BadgeRevoked, revoked)
