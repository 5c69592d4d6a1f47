"""Payout statuses in the reader's language: `status_label` as a label stands alone (sentence case,
like every status and stage name), `status_phrase` as it reads inside a sentence."""

from __future__ import annotations

from flask_babel import gettext as _

from community.payouts.models import CancelCause, Payout, PayoutStatus


def status_labels() -> dict[PayoutStatus, str]:
    return {
        PayoutStatus.PENDING: _("Pending approval"),
        PayoutStatus.APPROVED: _("Approved"),
        PayoutStatus.PAID: _("Paid"),
        PayoutStatus.CANCELLED: _("Cancelled"),
    }


def status_label(status: PayoutStatus | str) -> str:
    """The status as a label or badge: "Pending approval"."""
    return status_labels()[PayoutStatus(status)]


def status_phrase(status: PayoutStatus | str) -> str:
    """The status inside a sentence: "This payout is already approved"."""
    phrases = {
        PayoutStatus.PENDING: _("pending approval"),
        PayoutStatus.APPROVED: _("approved"),
        PayoutStatus.PAID: _("paid"),
        PayoutStatus.CANCELLED: _("cancelled"),
    }
    return phrases[PayoutStatus(status)]


def next_step(payout: Payout) -> str:
    """What happens next with a payout, in plain words for the referrer."""
    from flask_babel import format_date

    if payout.status == PayoutStatus.PENDING:
        return _("HR checks and approves it next; then it goes to payroll.")
    if payout.status == PayoutStatus.APPROVED:
        return _("Approved. It will be paid with the next payroll.")
    if payout.status == PayoutStatus.PAID:
        return _(
            "Paid on %(date)s (payroll reference %(reference)s).",
            date=format_date(payout.paid_on, "medium") if payout.paid_on else "",
            reference=payout.payroll_reference or "",
        )
    if payout.cancel_cause == CancelCause.LEFT_COMPANY:
        left_on = payout.referral.left_company_on
        return _(
            "Cancelled: the hire left the company on %(date)s, before probation passed.",
            date=format_date(left_on, "medium") if left_on else "",
        )
    return _("Cancelled by HR. Reason: %(reason)s", reason=payout.cancel_reason or "")
