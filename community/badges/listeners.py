"""Badges earned from what other rooms publish: a referral submitted or moved is checked against
every badge rule it triggers, and a challenge prize that gives it earns the challenge-winner
badge; inside the event's transaction."""

from __future__ import annotations

from community import events
from community.badges import registry
from community.badges.services import award_badge, evaluate_referral_event
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


def challenge_prize_awarded(event: events.ChallengePrizeAwarded) -> None:
    """A prize that gives the badge earns it, once per challenge (`registry.challenge_tier`):
    worth no points itself, as the prize's points come from the challenge."""
    if not event.badge:
        return
    badge = registry.get(registry.CHALLENGE_WINNER)
    if badge is not None:
        award_badge(event.user_id, badge, registry.challenge_tier(event.challenge_id), at=event.at)


def init_app() -> None:
    events.subscribe(events.ReferralSubmitted, referral_submitted)
    events.subscribe(events.StageAdvanced, stage_advanced)
    events.subscribe(events.ChallengePrizeAwarded, challenge_prize_awarded)
