"""Redemption statuses in the reader's language, in sentence case like every status label."""

from __future__ import annotations

from flask_babel import gettext as _

from community.perks.models import RedemptionStatus


def status_labels() -> dict[RedemptionStatus, str]:
    return {
        RedemptionStatus.PENDING: _("Waiting for approval"),
        RedemptionStatus.FULFILLED: _("Fulfilled"),
        RedemptionStatus.REJECTED: _("Rejected"),
    }


def status_label(status: RedemptionStatus | str) -> str:
    return status_labels()[RedemptionStatus(status)]
