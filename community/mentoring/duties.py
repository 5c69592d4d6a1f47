"""The mentoring clock (`mentoring.keep-time`, run by the worker every minute).

Computed from the clock and idempotent, so a worker that was down catches up on its first tick:
- a request nobody answered within `MENTORING_REQUEST_DAYS` expires (the newcomer is told);
- a running pairing whose goal's due day has come (company zone) and is not reached reminds the
  pair once (`goal_reminded_at`; a new due date resets it);
- a running pairing whose end day has come ends ("goal reached" if it was, else "completed").
Each pairing is re-read under its row lock, so two workers never act on one twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from community.core.time import to_local
from community.extensions import db
from community.mentoring.models import Outcome, Pairing, PairingStatus
from community.mentoring.pairings import close
from community.mentoring.services import publish
from community.worker.duties import Duty, register

logger = logging.getLogger(__name__)


def _locked(pairing_id: int) -> Pairing:
    return db.session.scalars(
        select(Pairing).where(Pairing.id == pairing_id).with_for_update()
    ).one()


def keep_time(now: datetime) -> int:
    """Do what is due by `now`; return how many things were done."""
    done = 0
    today = to_local(now).date()
    wait = timedelta(days=int(current_app.config.get("MENTORING_REQUEST_DAYS", 14)))
    stale = db.session.scalars(
        select(Pairing.id).where(
            Pairing.status == PairingStatus.REQUESTED, Pairing.requested_at <= now - wait
        )
    ).all()
    for pairing_id in stale:
        try:  # one pairing that fails never holds up the others
            pairing = _locked(pairing_id)
            if pairing.status == PairingStatus.REQUESTED and pairing.requested_at <= now - wait:
                pairing.status, pairing.answered_at = PairingStatus.EXPIRED, now
                publish(pairing, "expired", None, now)
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("mentoring: pairing %s failed; the next tick tries again", pairing_id)
    due = db.session.scalars(
        select(Pairing.id).where(
            Pairing.status == PairingStatus.ACTIVE,
            Pairing.goal_due_on <= today,
            Pairing.goal_reached_at.is_(None),
            Pairing.goal_reminded_at.is_(None),
        )
    ).all()
    for pairing_id in due:
        try:  # one pairing that fails never holds up the others
            pairing = _locked(pairing_id)
            if pairing.status == PairingStatus.ACTIVE and pairing.goal_reminded_at is None:
                pairing.goal_reminded_at = now
                publish(pairing, "goal_due", None, now)
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("mentoring: pairing %s failed; the next tick tries again", pairing_id)
    ending = db.session.scalars(
        select(Pairing.id).where(Pairing.status == PairingStatus.ACTIVE, Pairing.ends_on <= today)
    ).all()
    for pairing_id in ending:
        try:  # one pairing that fails never holds up the others
            pairing = _locked(pairing_id)
            if (
                pairing.status == PairingStatus.ACTIVE
                and pairing.ends_on
                and pairing.ends_on <= today
            ):
                outcome = Outcome.GOAL_REACHED if pairing.goal_reached_at else Outcome.COMPLETED
                close(pairing, None, outcome, "", now)
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("mentoring: pairing %s failed; the next tick tries again", pairing_id)
    return done


def init_app() -> None:
    register(
        Duty(
            "mentoring.keep-time",
            keep_time,
            "expire unanswered mentoring requests, remind a pair of a goal that falls due, "
            "end pairings on their end date",
        )
    )
