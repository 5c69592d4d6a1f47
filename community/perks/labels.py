"""Redemption statuses in the reader's language, in sentence case like every status label."""

from __future__ import annotations

from flask_babel import gettext as _

from community.perks.models import PerkCategory, RedemptionStatus


def status_labels() -> dict[RedemptionStatus, str]:
    return {
        RedemptionStatus.PENDING: _("Waiting for approval"),
        RedemptionStatus.FULFILLED: _("Fulfilled"),
        RedemptionStatus.REJECTED: _("Rejected"),
    }


def status_label(status: RedemptionStatus | str) -> str:
    return status_labels()[RedemptionStatus(status)]


def category_labels() -> dict[PerkCategory, str]:
    return {
        PerkCategory.TIME_OFF: _("Time off"),
        PerkCategory.HEALTH: _("Health"),
        PerkCategory.LEARNING: _("Learning"),
        PerkCategory.FOOD: _("Food and drink"),
        PerkCategory.MERCHANDISE: _("Company merchandise"),
        PerkCategory.EXPERIENCE: _("Experiences and tickets"),
        PerkCategory.OTHER: _("Something else"),
    }
