"""Payouts follow the referral spine: reaching a paying stage adds that stage's bonus share, due
on a day counted from the hire's start date that the event carries; a hire who left early
cancels the shares of the stages not reached. Both inside the event's transaction."""

from __future__ import annotations

from community import events
from community.accounts.models import User
from community.extensions import db
from community.payouts.services import cancel_after_leaving, create_payout_for_stage
from community.referrals.models import Referral


def stage_advanced(event: events.StageAdvanced) -> None:
    referral = db.session.get(Referral, event.referral_id)
    if referral is not None:
        create_payout_for_stage(referral, event.to_stage, at=event.at, start_date=event.start_date)


def hire_left(event: events.HireLeft) -> None:
    referral = db.session.get(Referral, event.referral_id)
    actor = db.session.get(User, event.actor_id)
    if referral is not None and actor is not None:
        cancel_after_leaving(referral, actor, at=event.at, start_date=event.start_date)


def init_app() -> None:
    events.subscribe(events.StageAdvanced, stage_advanced)
    events.subscribe(events.HireLeft, hire_left)
