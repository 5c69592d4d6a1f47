"""Every change a person makes to a challenge: host, edit, submit, approve, cancel, extend, add a
prize, join, disqualify and reinstate. Each checks who may, writes its rows and its line in the
challenge's log, and commits; a refusal writes nothing. The clock's own moves are in
`lifecycle`, what entries earn in `credits`."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.challenges import credits
from community.challenges.models import (
    EDITABLE,
    Challenge,
    ChallengeChange,
    ChallengeEntrant,
    ChallengePrize,
    ChallengeStatus,
    ChangeKind,
    PrizeKind,
)
from community.challenges.rules import (
    MAX_DESCRIPTION,
    START_GRACE,
    ChallengeError,
    ChallengeFields,
    PrizeFields,
    check_end,
    check_fields,
    check_prize,
    needs_approval,
)
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.permissions import is_hr
from community.core.roles import Role
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db

logger = logging.getLogger(__name__)

_FIELD_NAMES = tuple(ChallengeFields.__dataclass_fields__)


def log(challenge: Challenge, kind: ChangeKind, actor: User | None, **detail: Any) -> None:
    """One line of the challenge's public log."""
    db.session.add(
        ChallengeChange(
            challenge_id=challenge.id,
            actor_id=actor.id if actor else None,
            kind=kind,
            detail=detail,
            at=utcnow(),
        )
    )


def can_manage(user: User, challenge: Challenge) -> bool:
    """The host and HR manage a challenge."""
    return is_hr(user) or challenge.host_id == user.id


def _require_manager(user: User, challenge: Challenge) -> None:
    if not can_manage(user, challenge):
        raise ChallengeError(_("Only the host and HR can change this challenge."), status=FORBIDDEN)


def _locked(challenge_id: int) -> Challenge:
    challenge = db.session.scalars(
        select(Challenge).where(Challenge.id == challenge_id).with_for_update()
    ).first()
    if challenge is None:
        raise ChallengeError(_("There is no such challenge."), status=NOT_FOUND)
    return challenge


def _hr_ids() -> tuple[int, ...]:
    """The active HR people, who approve challenges."""
    return tuple(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.HR, User.is_active_account.is_(True))
            .order_by(User.id)
        )
    )


def has_started(challenge: Challenge) -> bool:
    """Live by its dates (or past it), whether or not the worker has marked it yet."""
    return challenge.status not in EDITABLE or (
        challenge.status == ChallengeStatus.SCHEDULED and challenge.starts_at <= utcnow()
    )


def _not_started_yet(challenge: Challenge) -> None:
    """Submitting or approving after the start would lose what was earned before it counted."""
    if challenge.starts_at < utcnow() - START_GRACE:
        raise ChallengeError(
            _("The start has passed; change the dates first."), field="starts_at", status=CONFLICT
        )


def create_challenge(host: User, fields: ChallengeFields) -> Challenge:
    """A new draft hosted by `host`."""
    with committed():
        fields = check_fields(host, fields)
        challenge = Challenge(host_id=host.id, status=ChallengeStatus.DRAFT, **asdict(fields))
        db.session.add(challenge)
        db.session.flush()
        log(challenge, ChangeKind.CREATED, host)
    return challenge


def update_challenge(actor: User, challenge_id: int, fields: ChallengeFields) -> Challenge:
    """Change a challenge that has not gone live. A manager's change to a scheduled challenge
    goes back to HR when approval is required."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        if has_started(challenge):
            raise ChallengeError(
                _("After it goes live only the end can be extended and prizes added."),
                status=CONFLICT,
            )
        host = db.session.get(User, challenge.host_id)
        fields = check_fields(host if host is not None else actor, fields)
        changed = sorted(
            name for name in _FIELD_NAMES if getattr(challenge, name) != getattr(fields, name)
        )
        for name in changed:
            setattr(challenge, name, getattr(fields, name))
        if changed:
            log(challenge, ChangeKind.EDITED, actor, fields=changed)
            if (
                challenge.status == ChallengeStatus.SCHEDULED
                and not is_hr(actor)
                and host
                and (needs_approval(host))
            ):
                challenge.status = ChallengeStatus.AWAITING_APPROVAL
                challenge.approved_at = challenge.approved_by_id = None
    return challenge


def submit_challenge(actor: User, challenge_id: int) -> Challenge:
    """The host is done with the draft: it waits for HR, or is scheduled at once."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        if challenge.status != ChallengeStatus.DRAFT:
            raise ChallengeError(_("Only a draft can be submitted."), status=CONFLICT)
        _not_started_yet(challenge)
        host = db.session.get(User, challenge.host_id)
        if host is not None and needs_approval(host):
            challenge.status = ChallengeStatus.AWAITING_APPROVAL
            log(challenge, ChangeKind.SUBMITTED, actor)
            events.publish(
                events.ChallengeSubmitted(
                    challenge_id=challenge.id,
                    title=challenge.title,
                    title_en=challenge.title_en,
                    host_id=host.id,
                    host_name=host.shown_name,
                    reviewer_ids=_hr_ids(),
                    at=utcnow(),
                )
            )
        else:
            _schedule(challenge, actor)
    return challenge


def _schedule(challenge: Challenge, actor: User, kind: ChangeKind = ChangeKind.SCHEDULED) -> None:
    """Scheduled: by its host when it needs no approval, or by HR's approval (one log line)."""
    challenge.status = ChallengeStatus.SCHEDULED
    challenge.approved_by_id, challenge.approved_at = actor.id, utcnow()
    log(challenge, kind, actor)


def approve_challenge(actor: User, challenge_id: int) -> Challenge:
    """HR approves a manager's challenge: it is scheduled and its host hears it."""
    with committed():
        if not is_hr(actor):
            raise ChallengeError(_("Only HR can approve challenges."), status=FORBIDDEN)
        challenge = _locked(challenge_id)
        if challenge.status != ChallengeStatus.AWAITING_APPROVAL:
            raise ChallengeError(_("This challenge is not waiting for approval."), status=CONFLICT)
        _not_started_yet(challenge)
        _schedule(challenge, actor, ChangeKind.APPROVED)
        events.publish(
            events.ChallengeApproved(
                challenge_id=challenge.id,
                title=challenge.title,
                title_en=challenge.title_en,
                host_id=challenge.host_id,
                actor_id=actor.id,
                starts_at=challenge.starts_at,
                at=utcnow(),
            )
        )
    return challenge


def _reason(reason: str | None, field: str = "reason") -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ChallengeError(_("Please give a reason."), field=field)
    if len(text) > MAX_DESCRIPTION:
        raise ChallengeError(_("The reason is too long."), field=field)
    return text


def cancel_challenge(actor: User, challenge_id: int, reason: str | None) -> Challenge:
    """Call a challenge off before it is final, with a reason everyone reads; the multiplier
    bonus it paid is taken back (a cancelled challenge pays nothing)."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        if challenge.status in (ChallengeStatus.FINAL, ChallengeStatus.CANCELLED):
            raise ChallengeError(
                _("A final or cancelled challenge cannot be cancelled."), status=CONFLICT
            )
        text = _reason(reason)
        announced = challenge.status in (
            ChallengeStatus.SCHEDULED,
            ChallengeStatus.LIVE,
            ChallengeStatus.SETTLING,
        )
        challenge.status = ChallengeStatus.CANCELLED
        challenge.cancelled_at, challenge.cancelled_by_id = utcnow(), actor.id
        challenge.cancel_reason = text
        log(challenge, ChangeKind.CANCELLED, actor, reason=text)
        entrants = _entrants(challenge.id)
        for entrant in entrants:
            credits.reconcile_bonus(challenge, entrant)
        events.publish(
            events.ChallengeCancelled(
                challenge_id=challenge.id,
                title=challenge.title,
                title_en=challenge.title_en,
                host_id=challenge.host_id,
                actor_id=actor.id,
                entrant_ids=tuple(e.user_id for e in entrants) if announced else (),
                reason=text,
                at=utcnow(),
            )
        )
    return challenge


def _entrants(challenge_id: int) -> list[ChallengeEntrant]:
    return list(
        db.session.scalars(
            select(ChallengeEntrant)
            .where(ChallengeEntrant.challenge_id == challenge_id)
            .order_by(ChallengeEntrant.id)
            .with_for_update()
        )
    )


def extend_challenge(actor: User, challenge_id: int, new_end: datetime) -> Challenge:
    """Move a live challenge's end later (the one date that may change after it starts)."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        if challenge.status in EDITABLE:
            raise ChallengeError(
                _("Before it goes live, edit the challenge to change its dates."), status=CONFLICT
            )
        if challenge.status != ChallengeStatus.LIVE or challenge.ends_at <= utcnow():
            raise ChallengeError(_("Only a live challenge can be extended."), status=CONFLICT)
        check_end(challenge.starts_at, challenge.ends_at, new_end)
        log(
            challenge,
            ChangeKind.EXTENDED,
            actor,
            old=challenge.ends_at.isoformat(),
            new=new_end.isoformat(),
        )
        challenge.ends_at = new_end
        challenge.closing_notice_at = None  # 24 hours before the new end, again
    return challenge


def add_prize(actor: User, challenge_id: int, fields: PrizeFields) -> ChallengePrize:
    """Add a prize tier (also after the start: prizes may only grow)."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        if challenge.status in (ChallengeStatus.FINAL, ChallengeStatus.CANCELLED):
            raise ChallengeError(
                _("A final or cancelled challenge takes no more prizes."), status=CONFLICT
            )
        fields = check_prize(fields)
        prize = ChallengePrize(
            challenge_id=challenge.id,
            added_after_start=has_started(challenge),
            **asdict(fields),
        )
        db.session.add(prize)
        db.session.flush()
        log(challenge, ChangeKind.PRIZE_ADDED, actor, **_tier_of(prize))
    return prize


def remove_prize(actor: User, challenge_id: int, prize_id: int) -> None:
    """Take a prize tier off before the challenge goes live (after it, prizes only grow)."""
    with committed():
        challenge = _locked(challenge_id)
        _require_manager(actor, challenge)
        prize = db.session.get(ChallengePrize, prize_id)
        if prize is None or prize.challenge_id != challenge.id:
            raise ChallengeError(_("There is no such prize."), status=NOT_FOUND)
        if has_started(challenge):
            raise ChallengeError(
                _("After it goes live prizes can be added, not removed."), status=CONFLICT
            )
        log(challenge, ChangeKind.PRIZE_REMOVED, actor, **_tier_of(prize))
        db.session.delete(prize)


def _tier_of(prize: ChallengePrize) -> dict[str, Any]:
    """What the log keeps of a tier: enough to name it after it is gone (ids can come back)."""
    return {
        "prize_id": prize.id,
        "tier_kind": PrizeKind(prize.kind).value,
        "rank_from": prize.rank_from,
        "rank_to": prize.rank_to,
        "threshold": prize.threshold,
    }
