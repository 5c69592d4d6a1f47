"""Points earned are told as a line of the notification of what earned them ("+60 points" under
"moved to Hired"), never on their own: an HR adjustment, a redemption and its refund are
announced by what caused them, or not at all. Points taken back (a referral rejected as a
duplicate or a self-referral) are a line of that rejection: "−40 points", with a true minus."""

from __future__ import annotations

from typing import Any

from flask_babel import ngettext

from community import events
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register
from community.points.models import PointKind

EARNED = "points_earned"
REVERSED = "points_reversed"


def _points(params: dict[str, Any]) -> int:
    return int(params.get("points", 0))


def _earned(params: dict[str, Any]) -> str:
    return ngettext("You earned %(num)d point.", "You earned %(num)d points.", _points(params))


def _line(params: dict[str, Any]) -> str:
    return ngettext("+%(num)d point", "+%(num)d points", _points(params))


def _taken_back(params: dict[str, Any]) -> str:
    return ngettext(
        "%(num)d point was taken back.", "%(num)d points were taken back.", abs(_points(params))
    )


def _minus_line(params: dict[str, Any]) -> str:
    # U+2212, the minus sign: a hyphen reads as a dash beside "+60 points".
    return ngettext("\u2212%(num)d point", "\u2212%(num)d points", abs(_points(params)))


def _sum(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The stage's points and the badge's points of one hire read as one figure."""
    return {"points": _points(first) + _points(second)}


def recorded(event: events.PointsRecorded) -> Notice | None:
    if event.kind != PointKind.EARNED.value or event.amount == 0:
        return None
    return Notice(
        EARNED if event.amount > 0 else REVERSED,
        to=(event.user_id,),
        params={"points": event.amount},
        link=url("points.mine"),
        at=event.at,
        standalone=False,
    )


def init_app() -> None:
    register(EARNED, _earned, line=_line, combine=_sum)
    register(REVERSED, _taken_back, line=_minus_line, combine=_sum)
    notify_on(events.PointsRecorded, recorded)
