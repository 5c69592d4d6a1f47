"""The words for the room's values, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from community.webhooks.models import DeliveryStatus, EventType, Outcome


def event_label(event: EventType | str) -> str:
    return {
        EventType.SUBMITTED: _("Referral submitted"),
        EventType.STAGE_CHANGED: _("Referral stage changed"),
        EventType.HIRED: _("Referral hired"),
        EventType.PAYOUT_DUE: _("Bonus payout due"),
    }.get(EventType(event), str(event))


def status_label(status: DeliveryStatus | str) -> str:
    return {
        DeliveryStatus.QUEUED: _("Waiting"),
        DeliveryStatus.SENT: _("Sent"),
        DeliveryStatus.FAILED: _("Failed"),
    }.get(DeliveryStatus(status), str(status))


def outcome_label(outcome: Outcome | str) -> str:
    return {Outcome.MOVED: _("Moved"), Outcome.IGNORED: _("Ignored (behind or closed)")}.get(
        Outcome(outcome), str(outcome)
    )
