"""The notifications a redemption sends: HR is told of one waiting for approval, the person of
HR's decision."""

from __future__ import annotations

from typing import Any

from flask_babel import ngettext

from community import events
from community.core.i18n import current_locale
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register

PENDING, APPROVED, REJECTED = "redemption_pending", "redemption_approved", "redemption_rejected"


def _values(params: dict[str, Any]) -> dict[str, Any]:
    perk = params.get("perk_zh") if current_locale() == "zh_CN" else params.get("perk_en")
    return {"perk": perk or params.get("perk_en", "")}


def _points(params: dict[str, Any]) -> int:
    try:
        return int(params.get("points") or 0)
    except (TypeError, ValueError):
        return 0


def _pending(params: dict[str, Any]) -> str:
    return ngettext(
        "%(employee)s redeemed %(perk)s for %(num)s point. It waits for your approval.",
        "%(employee)s redeemed %(perk)s for %(num)s points. It waits for your approval.",
        _points(params),
        employee=params.get("employee", ""),
        **_values(params),
    )


def _approved(params: dict[str, Any]) -> str:
    return ngettext(
        "HR approved your redemption of %(perk)s (%(num)s point). Enjoy!",
        "HR approved your redemption of %(perk)s (%(num)s points). Enjoy!",
        _points(params),
        **_values(params),
    )


def _rejected(params: dict[str, Any]) -> str:
    return ngettext(
        "HR rejected your redemption of %(perk)s; your %(num)s point is back. Reason: %(reason)s",
        "HR rejected your redemption of %(perk)s; your %(num)s points are back. Reason: %(reason)s",
        _points(params),
        reason=params.get("reason", ""),
        **_values(params),
    )


def changed(event: events.RedemptionChanged) -> Notice | None:
    params: dict[str, Any] = {
        "perk_en": event.perk_en,
        "perk_zh": event.perk_zh,
        "points": event.points,
    }
    if event.status == "pending":
        params["employee"] = event.user_name
        link = url("perks.redemptions", status="pending")
        return Notice(PENDING, to=event.reviewer_ids, params=params, link=link, at=event.at)
    mine = url("perks.shop", _anchor="my-redemptions")
    if event.status == "approved":
        return Notice(APPROVED, to=(event.user_id,), params=params, link=mine, at=event.at)
    if event.status == "rejected":
        params["reason"] = event.reason or ""
        return Notice(REJECTED, to=(event.user_id,), params=params, link=mine, at=event.at)
    return None  # fulfilled at once: the person saw it happen


def init_app() -> None:
    register(PENDING, _pending)
    register(APPROVED, _approved)
    register(REJECTED, _rejected)
    notify_on(events.RedemptionChanged, changed)
