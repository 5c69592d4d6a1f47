"""Redemption statuses in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from community.perks.models import RedemptionStatus


def status_label(status: RedemptionStatus | str) -> str:
    labels = {
        RedemptionStatus.PENDING: _("waiting for approval"),
        RedemptionStatus.FULFILLED: _("fulfilled"),
        RedemptionStatus.REJECTED: _("rejected"),
    }
    return labels[RedemptionStatus(status)]
