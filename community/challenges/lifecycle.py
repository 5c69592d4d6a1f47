"""The clock's side of a challenge: scheduled → live → settling → final, as a worker duty.

Each step is computed from the clock, not from a job firing once: `keep_time(now)` moves every
approved challenge to the state its dates say it is in, so a worker that was down catches up
(a challenge whose whole window passed meanwhile goes live, ends and is final in one run). Each
challenge moves under its row lock in its own transaction, each notice hangs on a column set in
that transaction (`live_at`, `closing_notice_at`, `ended_at`, `finalized_at`): running it twice,
or two workers at once, does nothing twice. A notice that would come too late is not sent (no
"it started" after it ended; no "24 hours left" after the end).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from community import events
from community.challenges import prizes
from community.challenges.models import COUNTING, Challenge, ChallengeStatus, ChangeKind
from community.challenges.scope import participants
from community.challenges.services import log
from community.extensions import db

logger = logging.getLogger(__name__)

CLOSING_NOTICE = timedelta(hours=24)


def _participant_ids(challenge: Challenge) -> tuple[int, ...]:
    return tuple(db.session.scalars(participants(challenge)))


def _step(challenge: Challenge, now: datetime) -> bool:
    """Take the next step the clock calls for; False when the challenge is where it belongs."""
    status = challenge.status
    if status == ChallengeStatus.SCHEDULED and now >= challenge.starts_at:
        challenge.status, challenge.live_at = ChallengeStatus.LIVE, now
        log(challenge, ChangeKind.LIVE, None)
        if now < challenge.ends_at:
            events.publish(
                events.ChallengeWentLive(
                    challenge_id=challenge.id,
                    title=challenge.title,
                    title_en=challenge.title_en,
                    host_id=challenge.host_id,
                    participant_ids=_participant_ids(challenge),
                    ends_at=challenge.ends_at,
                    at=now,
                )
            )
        return True
    if status == ChallengeStatus.LIVE and now >= challenge.ends_at:
        challenge.status, challenge.ended_at = ChallengeStatus.SETTLING, now
        log(challenge, ChangeKind.ENDED, None)
        events.publish(
            events.ChallengeEnded(
                challenge_id=challenge.id,
                title=challenge.title,
                title_en=challenge.title_en,
                host_id=challenge.host_id,
                settles_at=challenge.settles_at,
                at=now,
            )
        )
        return True
    if (
        status == ChallengeStatus.LIVE
        and challenge.closing_notice_at is None
        and challenge.ends_at - CLOSING_NOTICE <= now < challenge.ends_at
    ):
        challenge.closing_notice_at = now
        events.publish(
            events.ChallengeClosingSoon(
                challenge_id=challenge.id,
                title=challenge.title,
                title_en=challenge.title_en,
                participant_ids=_participant_ids(challenge),
                ends_at=challenge.ends_at,
                at=now,
            )
        )
        return True
    if status == ChallengeStatus.SETTLING and now >= challenge.settles_at:
        finalize(challenge, now)
        return True
    return False


def finalize(challenge: Challenge, now: datetime) -> None:
    """Freeze the standings, award the prizes, and say so."""
    ranked = prizes.freeze(challenge)
    challenge.status, challenge.finalized_at = ChallengeStatus.FINAL, now
    prizes.award(challenge, ranked, now)
    log(challenge, ChangeKind.FINAL, None)
    events.publish(
        events.ChallengeFinalized(
            challenge_id=challenge.id,
            title=challenge.title,
            title_en=challenge.title_en,
            host_id=challenge.host_id,
            participant_ids=_participant_ids(challenge),
            winners=prizes.winners(challenge),
            thanked=prizes.winners(challenge, thanked_only=True),
            at=now,
        )
    )


def advance(challenge_id: int, now: datetime) -> int:
    """Bring one challenge up to `now` in its own transaction; returns the steps taken."""
    steps = 0
    try:
        challenge = db.session.scalars(
            select(Challenge).where(Challenge.id == challenge_id).with_for_update()
        ).first()
        while challenge is not None and challenge.status in COUNTING and _step(challenge, now):
            steps += 1
            db.session.flush()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return steps


def keep_time(now: datetime) -> int:
    """The worker's duty: every approved challenge brought up to `now`."""
    ids = list(
        db.session.scalars(
            select(Challenge.id)
            .where(Challenge.status.in_(COUNTING), Challenge.starts_at <= now)
            .order_by(Challenge.id)
        )
    )
    db.session.rollback()  # end the read; each challenge moves in its own transaction
    done = 0
    for challenge_id in ids:
        try:
            done += advance(challenge_id, now)
        except Exception:
            logger.exception("challenges: challenge %s could not move on", challenge_id)
    return done
