"""The notifications a redemption sends: HR is told of one waiting for approval, the person of
HR's decision. A prize voucher (`perks.vouchers`) reads as the prize it is: HR is told of one
owed, the winner of HR handing it over or not (the win itself is announced by the challenge)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.core.i18n import current_locale
from community.core.links import url
from community.core.localized import choose
from community.extensions import db
from community.notifications.kinds import Notice, notify_on, register
from community.perks.models import OwedReason, Redemption

PENDING, APPROVED, REJECTED = "redemption_pending", "redemption_approved", "redemption_rejected"
PRIZE_OWED = "prize_voucher_owed"  # to HR: a perk won in a challenge waits for them
PRIZE_HANDED = "prize_voucher_handed"
PRIZE_WITHHELD = "prize_voucher_withheld"


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


def _challenge(params: dict[str, Any]) -> str:
    return choose(params.get("challenge"), params.get("challenge_en")).text


def _prize_owed(params: dict[str, Any]) -> str:
    values = {"challenge": _challenge(params), "employee": params.get("employee", "")}
    if params.get("owed") == OwedReason.NOT_OFFERED.value:
        return _(
            "%(employee)s won %(perk)s in %(challenge)s, but it is no longer offered in the shop. "
            "The prize waits for you to hand it over.",
            **values,
            **_values(params),
        )
    return _(
        "%(employee)s won %(perk)s in %(challenge)s, but it is out of stock. "
        "The prize waits for you to hand it over.",
        **values,
        **_values(params),
    )


def _prize_handed(params: dict[str, Any]) -> str:
    return _(
        "HR handed over your prize from %(challenge)s: %(perk)s. Enjoy!",
        challenge=_challenge(params),
        **_values(params),
    )


def _prize_withheld(params: dict[str, Any]) -> str:
    return _(
        "HR could not hand over your prize from %(challenge)s (%(perk)s). Reason: %(reason)s",
        challenge=_challenge(params),
        reason=params.get("reason", ""),
        **_values(params),
    )


def _prize_changed(event: events.RedemptionChanged, voucher: Redemption) -> Notice | None:
    params: dict[str, Any] = {
        "perk_en": event.perk_en,
        "perk_zh": event.perk_zh,
        "challenge": voucher.challenge_title or "",
        "challenge_en": voucher.challenge_title_en or "",
    }
    if event.status == "pending":
        params["employee"] = event.user_name
        params["owed"] = voucher.owed_reason.value if voucher.owed_reason else ""
        link = url("perks.redemptions", status="pending")
        return Notice(PRIZE_OWED, to=event.reviewer_ids, params=params, link=link, at=event.at)
    mine = url("perks.shop", _anchor="my-redemptions")
    if event.status == "approved":
        return Notice(PRIZE_HANDED, to=(event.user_id,), params=params, link=mine, at=event.at)
    if event.status == "rejected":
        params["reason"] = event.reason or ""
        return Notice(PRIZE_WITHHELD, to=(event.user_id,), params=params, link=mine, at=event.at)
    return None  # handed over at once: the challenge's own notice tells the winner


def changed(event: events.RedemptionChanged) -> Notice | None:
    voucher = db.session.get(Redemption, event.redemption_id)
    if voucher is not None and voucher.is_prize:
        return _prize_changed(event, voucher)
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
    register(PRIZE_OWED, _prize_owed)
    register(PRIZE_HANDED, _prize_handed)
    register(PRIZE_WITHHELD, _prize_withheld)
    notify_on(events.RedemptionChanged, changed)
