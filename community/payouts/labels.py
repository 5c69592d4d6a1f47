"""Payout statuses in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from community.payouts.models import PayoutStatus


def status_label(status: PayoutStatus | str) -> str:
    labels = {
        PayoutStatus.PENDING: _("pending approval"),
        PayoutStatus.APPROVED: _("approved"),
        PayoutStatus.PAID: _("paid"),
        PayoutStatus.CANCELLED: _("cancelled"),
    }
    return labels[PayoutStatus(status)]
