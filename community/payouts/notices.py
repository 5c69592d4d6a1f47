"""The notifications a payout sends the referrer: earned, approved, paid, cancelled."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from community import events
from community.core.links import url
from community.core.money import Money
from community.notifications.kinds import Notice, notify_on, register
from community.pipeline import stage_label

CREATED, APPROVED, PAID, CANCELLED = (
    "payout_created",
    "payout_approved",
    "payout_paid",
    "payout_cancelled",
)
_KIND_OF_STATUS = {"pending": CREATED, "approved": APPROVED, "paid": PAID, "cancelled": CANCELLED}


def _date_param(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _values(params: dict[str, Any]) -> dict[str, Any]:
    try:
        amount = Money(int(params.get("amount_minor", 0)), str(params.get("currency", "CNY")))
        shown_amount = amount.format(str(get_locale() or "zh_CN"))
        stage = stage_label(params.get("stage", ""))
    except (TypeError, ValueError):
        shown_amount, stage = "", str(params.get("stage", ""))
    return {
        "amount": shown_amount,
        "stage": stage,
        "candidate": params.get("candidate", ""),
        "job": params.get("job", ""),
    }


def _created(params: dict[str, Any]) -> str:
    return _(
        "You earned a bonus of %(amount)s: %(candidate)s reached %(stage)s for %(job)s. HR will approve it next.",
        **_values(params),
    )


def _created_line(params: dict[str, Any]) -> str:
    """Under the move that earned it."""
    return _("Bonus of %(amount)s for reaching %(stage)s; HR approves it next.", **_values(params))


def _approved(params: dict[str, Any]) -> str:
    return _(
        "HR approved your bonus of %(amount)s for referring %(candidate)s (%(stage)s). It goes to payroll next.",
        **_values(params),
    )


def _paid(params: dict[str, Any]) -> str:
    paid_on = _date_param(params.get("paid_on"))
    return _(
        "Your bonus of %(amount)s for referring %(candidate)s (%(stage)s) was paid on %(date)s.",
        date=format_date(paid_on, "medium") if paid_on else "",
        **_values(params),
    )


def _cancelled(params: dict[str, Any]) -> str:
    if params.get("cause") == "left_company":
        left_on = _date_param(params.get("left_on"))
        return _(
            "The %(stage)s bonus of %(amount)s for referring %(candidate)s is cancelled: they left the company on %(date)s, before probation passed.",
            date=format_date(left_on, "medium") if left_on else "",
            **_values(params),
        )
    return _(
        "HR cancelled your bonus of %(amount)s for referring %(candidate)s (%(stage)s). Reason: %(reason)s",
        reason=params.get("reason", ""),
        **_values(params),
    )


def _cancelled_line(params: dict[str, Any]) -> str:
    """Under the record that the hire left (which already says when)."""
    if params.get("cause") == "left_company":
        return _("The %(stage)s bonus of %(amount)s is cancelled.", **_values(params))
    return _cancelled(params)


def changed(event: events.PayoutChanged) -> Notice | None:
    kind = _KIND_OF_STATUS.get(event.status)
    if kind is None:
        return None
    params: dict[str, Any] = {
        "candidate": event.candidate_name,
        "job": event.job_title,
        "stage": event.stage.value,
        "amount_minor": event.amount_minor,
        "currency": event.currency,
    }
    if kind == PAID and event.paid_on:
        params["paid_on"] = event.paid_on.isoformat()
    if kind == CANCELLED:
        params["cause"] = event.cause
        if event.cause == "left_company" and event.left_on:
            params["left_on"] = event.left_on.isoformat()
        else:
            params["reason"] = event.reason or ""
    return Notice(
        kind, to=(event.referrer_id,), params=params, link=url("payouts.mine"), at=event.at
    )


def init_app() -> None:
    register(CREATED, _created, line=_created_line)
    register(APPROVED, _approved)
    register(PAID, _paid)
    register(CANCELLED, _cancelled, line=_cancelled_line)
    notify_on(events.PayoutChanged, changed)
