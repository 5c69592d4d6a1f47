"""Badges earned from what the referral spine publishes: a referral submitted or moved is
checked against every badge rule it triggers, inside the event's transaction."""

from __future__ import annotations

from community import events
from community.badges.services import evaluate_referral_event
from community.extensions import db
from community.pipeline import Stage
from community.referrals.models import Referral


def _evaluate(referral_id: int, stage: Stage, at: object) -> None:
    referral = db.session.get(Referral, referral_id)
    if referral is not None:
        evaluate_referral_event(referral, stage, at=at)  # type: ignore[arg-type]


def referral_submitted(event: events.ReferralSubmitted) -> None:
    """A submission counts as reaching "submitted" (first referral, monthly streak)."""
    _evaluate(event.referral_id, Stage.SUBMITTED, event.at)


def stage_advanced(event: events.StageAdvanced) -> None:
    _evaluate(event.referral_id, event.to_stage, event.at)


def init_app() -> None:
    events.subscribe(events.ReferralSubmitted, referral_submitted)
    events.subscribe(events.StageAdvanced, stage_advanced)
