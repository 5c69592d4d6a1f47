"""Mentoring writes, part two: a pairing's life once it runs — its goal and end date, the
pair's private check-in notes, the mentee's sharing choices, the goal reached, and its end (by
one of the pair, HR, or the worker on its end date). One transaction each, like `services`."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import User
from community.badges import registry as badge_registry
from community.badges.services import award_badge
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.time import local_today, utcnow
from community.core.transaction import committed
from community.extensions import db
from community.mentoring import permissions
from community.mentoring.models import (
    CheckInNote,
    MentorReward,
    Outcome,
    Pairing,
    PairingStatus,
)
from community.mentoring.services import (
    MAX_GOAL,
    MentoringError,
    clean_text,
    publish,
)

MAX_NOTE = 4000
MAX_OUTCOME_NOTE = 1000
MENTOR_BADGE = "mentor"


def _locked(pairing_id: int, user: User) -> Pairing:
    """The pairing, locked, for someone allowed to see it (anyone else: 404, as if absent)."""
    pairing = db.session.scalars(
        select(Pairing).where(Pairing.id == pairing_id).with_for_update()
    ).first()
    if pairing is None or not permissions.can_view_pairing(user, pairing):
        raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
    return pairing


def _running(pairing: Pairing, user: User) -> None:
    if pairing.status != PairingStatus.ACTIVE:
        raise MentoringError(_("This pairing has ended."), status=CONFLICT)
    if not permissions.can_steer_pairing(user, pairing):
        raise MentoringError(_("You cannot change this pairing."), status=FORBIDDEN)


def set_goal(
    user: User, pairing_id: int, goal: str | None, goal_due_on: date | None, ends_on: date | None
) -> Pairing:
    """The pair or HR set the goal ("a first referral within 30 days"), its due date and the
    pairing's end date. A new due date sends its reminder again when it comes."""
    with committed():
        pairing = _locked(pairing_id, user)
        _running(pairing, user)
        text = clean_text(goal, MAX_GOAL, "goal", required=True)
        today = local_today()
        if goal_due_on is None:
            raise MentoringError(_("Give the goal a due date."), field="goal_due_on")
        if goal_due_on < today and goal_due_on != pairing.goal_due_on:
            raise MentoringError(_("The due date has passed."), field="goal_due_on")
        if ends_on is None or ends_on <= today:
            raise MentoringError(_("The end date must be after today."), field="ends_on")
        if goal_due_on > ends_on:
            raise MentoringError(_("The goal is due after the pairing ends."), field="goal_due_on")
        if goal_due_on != pairing.goal_due_on:
            pairing.goal_reminded_at = None
        pairing.goal, pairing.goal_due_on, pairing.ends_on = text, goal_due_on, ends_on
    return pairing


def mark_goal_reached(user: User, pairing_id: int) -> Pairing:
    """One of the pair (or HR) says the goal is reached; the other hears it."""
    with committed():
        pairing = _locked(pairing_id, user)
        _running(pairing, user)
        if not pairing.goal:
            raise MentoringError(_("Set a goal first."), status=CONFLICT)
        if pairing.goal_reached_at is not None:
            raise MentoringError(_("The goal is already reached."), status=CONFLICT)
        now = utcnow()
        pairing.goal_reached_at = now
        publish(pairing, "goal_reached", user, now)
    return pairing


def add_note(user: User, pairing_id: int, body: str | None) -> CheckInNote:
    """A private check-in note by one of the pair (Markdown, rendered sanitised)."""
    with committed():
        pairing = _locked(pairing_id, user)
        if not permissions.can_write_note(user, pairing):
            if pairing.status != PairingStatus.ACTIVE:
                raise MentoringError(_("This pairing has ended."), status=CONFLICT)
            raise MentoringError(
                _("Only the mentor and the mentee write check-ins."), status=FORBIDDEN
            )
        text = clean_text(body, MAX_NOTE, "body", required=True)
        note = CheckInNote(pairing_id=pairing.id, author_id=user.id, body=text, created_at=utcnow())
        db.session.add(note)
    return note


def save_sharing(user: User, pairing_id: int, referral_count: bool, stages: bool) -> Pairing:
    """The mentee chooses what of their progress the mentor sees: how many referrals they made
    and passed screening, and how far they got (stage counts). Never candidates or jobs."""
    with committed():
        pairing = _locked(pairing_id, user)
        if not permissions.can_choose_sharing(user, pairing):
            raise MentoringError(
                _("Only the mentee chooses what the mentor sees."), status=FORBIDDEN
            )
        pairing.share_referral_count, pairing.share_stages = bool(referral_count), bool(stages)
    return pairing


def _has_standing_reward(pairing_id: int) -> bool:
    return (
        db.session.scalar(
            select(MentorReward.id).where(
                MentorReward.pairing_id == pairing_id, MentorReward.reversed_at.is_(None)
            )
        )
        is not None
    )


def close(pairing: Pairing, actor: User | None, outcome: Outcome, note: str, at: datetime) -> None:
    """End a running pairing (locked by the caller). A mentor whose mentee's first referral passed
    screening during it, and was not found void, gets the mentor badge when it ends."""
    pairing.status = PairingStatus.ENDED
    pairing.ended_at = at
    pairing.ended_by_id = actor.id if actor else None
    pairing.outcome = outcome
    pairing.outcome_note = note
    if _has_standing_reward(pairing.id):
        badge = badge_registry.get(MENTOR_BADGE)
        if badge is not None:
            award_badge(pairing.mentor_id, badge, at=at)
    publish(pairing, "ended", actor, at)


def end_pairing(user: User, pairing_id: int, outcome: str | None, note: str | None) -> Pairing:
    """One of the pair or HR ends the pairing with an outcome (and a note the pair and HR read)."""
    try:
        chosen = Outcome(outcome or "")
    except ValueError:
        raise MentoringError(_("Choose how it went."), field="outcome") from None
    with committed():
        pairing = _locked(pairing_id, user)
        _running(pairing, user)
        text = clean_text(note, MAX_OUTCOME_NOTE, "note")
        close(pairing, user, chosen, text, utcnow())
    return pairing
