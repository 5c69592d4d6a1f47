"""The mentor's reward (`events.StageAdvanced` listener, in the move's transaction).

When HR accepts a referral into the pipeline (it passed screening: `StageAdvanced.accepted`, the
moment challenges' "screened" metric counts) and its referrer is a mentee in a running pairing
that the referral was submitted during, the mentor earns `MENTORING_REWARD_POINTS` — once per
pairing (one standing reward, checked under the pairing's row lock), and at most
`MENTORING_REWARD_CAP` standing rewards per mentor in `MENTORING_REWARD_PERIOD_DAYS` (counted under
the mentor's offer row lock, so two at once cannot pass the cap). Ledger key
`mentoring:<pairing>:reward:<referral>`.

When that referral is later rejected as a duplicate or a self-referral (`VOIDING_CODES`, the
codes for which `points.reverse_referral_points` takes back the referrer's points), the reward
is reversed (key + ":reversed") and the pairing may earn it again from a later referral. A
referral rejected as void before it was accepted never earned anything.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from community import events
from community.extensions import db
from community.mentoring.models import MentorOffer, MentorReward, Pairing, PairingStatus
from community.mentoring.services import publish
from community.pipeline import Stage
from community.pipeline.reasons import VOIDING_CODES
from community.points.models import PointEntry, PointKind
from community.points.services import record_points
from community.referrals.models import Referral

REASON = "mentoring"


def reward_key(pairing_id: int, referral_id: int) -> str:
    return f"mentoring:{pairing_id}:reward:{referral_id}"


def _standing_in_window(mentor_id: int, event: events.StageAdvanced) -> int:
    days = int(current_app.config.get("MENTORING_REWARD_PERIOD_DAYS", 90))
    return int(
        db.session.scalar(
            select(func.count(MentorReward.id)).where(
                MentorReward.mentor_id == mentor_id,
                MentorReward.reversed_at.is_(None),
                MentorReward.awarded_at > event.at - timedelta(days=days),
            )
        )
        or 0
    )


def reward_first_screening(event: events.StageAdvanced) -> None:
    """The mentee's referral passed screening: the mentor's reward, if the pairing has none
    standing and the mentor is under the cap."""
    if not event.accepted:
        return
    referral = db.session.get(Referral, event.referral_id)
    if referral is None:
        return
    pairing = db.session.scalars(
        select(Pairing)
        .where(
            Pairing.mentee_id == event.referrer_id,
            Pairing.status == PairingStatus.ACTIVE,
            Pairing.started_at <= referral.submitted_at,
        )
        .with_for_update()
    ).first()
    if pairing is None or pairing.mentor_id == event.referrer_id:
        return
    standing = db.session.scalar(
        select(MentorReward.id).where(
            MentorReward.pairing_id == pairing.id, MentorReward.reversed_at.is_(None)
        )
    )
    if standing is not None:
        return
    points = int(current_app.config.get("MENTORING_REWARD_POINTS", 0))
    if points <= 0:
        return
    # The offer row serialises one mentor's rewards (the cap); the mentor may have withdrawn it.
    db.session.scalars(
        select(MentorOffer.id).where(MentorOffer.user_id == pairing.mentor_id).with_for_update()
    ).first()
    if _standing_in_window(pairing.mentor_id, event) >= int(
        current_app.config.get("MENTORING_REWARD_CAP", 0)
    ):
        return
    key = reward_key(pairing.id, referral.id)
    if db.session.scalar(
        select(MentorReward.id).where(
            MentorReward.pairing_id == pairing.id, MentorReward.referral_id == referral.id
        )
    ):
        return  # rewarded once for this referral and reversed: a referral earns it once
    entry = record_points(
        pairing.mentor_id,
        points,
        PointKind.EARNED,
        idempotency_key=key,
        reason=f"{REASON}:{pairing.id}",
        at=event.at,
    )
    db.session.add(
        MentorReward(
            pairing_id=pairing.id,
            mentor_id=pairing.mentor_id,
            referral_id=referral.id,
            points=points,
            entry_id=entry.id,
            awarded_at=event.at,
        )
    )
    db.session.flush()
    publish(pairing, "rewarded", None, event.at, points)


def reverse_void_reward(event: events.StageAdvanced) -> None:
    """A referral rejected as a duplicate or a self-referral earned its mentor nothing either."""
    if event.to_stage != Stage.REJECTED or event.reason_code not in VOIDING_CODES:
        return
    rewards = db.session.scalars(
        select(MentorReward)
        .where(MentorReward.referral_id == event.referral_id, MentorReward.reversed_at.is_(None))
        .with_for_update()
    ).all()
    for reward in rewards:
        original = db.session.get(PointEntry, reward.entry_id)
        reversal = record_points(
            reward.mentor_id,
            -reward.points,
            PointKind.EARNED,
            idempotency_key=f"{original.idempotency_key}:reversed",
            reason=f"{REASON}:{reward.pairing_id}:reversed:{event.reason_code}",
            at=event.at,
            reverses=original,
        )
        reward.reversed_at = event.at
        reward.reversal_entry_id = reversal.id
        pairing = db.session.get(Pairing, reward.pairing_id)
        publish(pairing, "reward_reversed", None, event.at, -reward.points)


def init_app() -> None:
    events.subscribe(events.StageAdvanced, reward_first_screening)
    events.subscribe(events.StageAdvanced, reverse_void_reward)
