"""Mentoring reads: the directory, a person's own mentoring, a pairing with what its viewer may
see, and HR's overview. No caches: every page reads SQL (a directory of a few hundred offers)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.core.errors import NOT_FOUND
from community.core.roles import Role
from community.extensions import db
from community.mentoring import permissions
from community.mentoring.models import (
    OPEN_STATUSES,
    MentorOffer,
    MentorReward,
    OfferStatus,
    Pairing,
    PairingStatus,
)
from community.mentoring.rules import passed_screening_count
from community.mentoring.services import MentoringError
from community.pipeline import PIPELINE, Stage
from community.referrals.models import Referral


@dataclass(frozen=True)
class MentorCard:
    offer: MentorOffer
    mentor: User
    taken: int

    @property
    def free(self) -> int:
        return max(self.offer.capacity - self.taken, 0)


def _taken_by_mentor(mentor_ids: list[int]) -> dict[int, int]:
    if not mentor_ids:
        return {}
    rows = db.session.execute(
        select(Pairing.mentor_id, func.count(Pairing.id))
        .where(Pairing.mentor_id.in_(mentor_ids), Pairing.status == PairingStatus.ACTIVE)
        .group_by(Pairing.mentor_id)
    ).all()
    return {mentor_id: int(count) for mentor_id, count in rows}


def directory(topic: str | None = None, *, with_full: bool = False) -> list[MentorCard]:
    """Open offers of active people, those with a free place first (then by name). A topic
    filters by a case-insensitive match of one of the offer's topics."""
    offers = db.session.scalars(
        select(MentorOffer)
        .join(User, User.id == MentorOffer.user_id)
        .where(MentorOffer.status == OfferStatus.OPEN, User.is_active_account.is_(True))
        .options(joinedload(MentorOffer.user))
    ).all()
    needle = (topic or "").strip().casefold()
    if needle:
        offers = [o for o in offers if any(needle in t.casefold() for t in o.topics or [])]
    taken = _taken_by_mentor([o.user_id for o in offers])
    cards = [MentorCard(o, o.user, taken.get(o.user_id, 0)) for o in offers]
    if not with_full:
        cards = [card for card in cards if card.free > 0]
    return sorted(cards, key=lambda c: (c.free == 0, c.mentor.shown_name.casefold()))


def all_topics() -> list[str]:
    """Every topic of the open offers, most offered first: the directory's filter chips."""
    counts: Counter[str] = Counter()
    for topics in db.session.scalars(
        select(MentorOffer.topics).where(MentorOffer.status == OfferStatus.OPEN)
    ):
        counts.update(topics or [])
    return [topic for topic, _count in counts.most_common(12)]


def _pairings(*conditions: object) -> list[Pairing]:
    return list(
        db.session.scalars(
            select(Pairing)
            .where(*conditions)
            .options(joinedload(Pairing.mentor), joinedload(Pairing.mentee))
            .order_by(Pairing.requested_at.desc(), Pairing.id.desc())
        ).all()
    )


@dataclass(frozen=True)
class Mine:
    """A person's own mentoring: requests waiting for their answer, pairings they mentor, and
    their own request or pairing as a mentee (open first, then past)."""

    requests: list[Pairing]
    mentoring: list[Pairing]
    as_mentee: list[Pairing]

    @property
    def open_as_mentee(self) -> Pairing | None:
        return next((p for p in self.as_mentee if p.is_open), None)


def mine(user_id: int) -> Mine:
    return Mine(
        requests=_pairings(Pairing.mentor_id == user_id, Pairing.status == PairingStatus.REQUESTED),
        mentoring=_pairings(
            Pairing.mentor_id == user_id,
            Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.ENDED)),
        ),
        as_mentee=_pairings(Pairing.mentee_id == user_id)[:10],
    )


def get_pairing(pairing_id: int, viewer: User) -> Pairing:
    """The pairing for someone allowed to see it; anyone else gets a 404 (as if absent)."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or not permissions.can_view_pairing(viewer, pairing):
        raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
    return pairing


def get_mentor_card(mentor_id: int) -> MentorCard | None:
    offer = db.session.scalars(select(MentorOffer).where(MentorOffer.user_id == mentor_id)).first()
    if offer is None or offer.status != OfferStatus.OPEN or not offer.user.is_active_account:
        return None
    return MentorCard(offer, offer.user, _taken_by_mentor([mentor_id]).get(mentor_id, 0))


@dataclass(frozen=True)
class Progress:
    """The mentee's progress since the pairing started, as counts only: never a candidate, a job
    or a referral's details. `shows_*` say what this viewer may see of it."""

    submitted: int
    passed_screening: int
    furthest: dict[Stage, int]  # referrals by the furthest stage of the pipeline they reached
    shows_count: bool
    shows_stages: bool


def progress(pairing: Pairing, viewer: User) -> Progress | None:
    """What `viewer` may see of the mentee's progress (None: nothing)."""
    if not permissions.sees_progress(viewer, pairing) or pairing.started_at is None:
        return None
    whole = viewer.id == pairing.mentee_id or viewer.role == Role.HR
    referrals = db.session.execute(
        select(Referral.id, Referral.stage).where(
            Referral.referrer_id == pairing.mentee_id,
            Referral.submitted_at >= pairing.started_at,
        )
    ).all()
    furthest: Counter[Stage] = Counter()
    for _id, stage in referrals:
        if stage in PIPELINE:
            furthest[Stage(stage)] += 1
    return Progress(
        submitted=len(referrals),
        passed_screening=passed_screening_count(pairing.mentee_id, since=pairing.started_at),
        furthest={stage: furthest.get(stage, 0) for stage in PIPELINE},
        shows_count=whole or pairing.share_referral_count,
        shows_stages=whole or pairing.share_stages,
    )


def reward_of(pairing_id: int) -> MentorReward | None:
    """The pairing's standing reward, if any."""
    return db.session.scalars(
        select(MentorReward).where(
            MentorReward.pairing_id == pairing_id, MentorReward.reversed_at.is_(None)
        )
    ).first()


@dataclass(frozen=True)
class Overview:
    active: list[Pairing]
    requested: list[Pairing]
    ended: list[Pairing]


def overview() -> Overview:
    return Overview(
        active=_pairings(Pairing.status == PairingStatus.ACTIVE),
        requested=_pairings(Pairing.status == PairingStatus.REQUESTED),
        ended=_pairings(Pairing.status == PairingStatus.ENDED)[:50],
    )


def pairable_people() -> list[User]:
    """Everyone HR may pair as a mentee: active, not HR, without an open request or pairing."""
    busy = select(Pairing.mentee_id).where(Pairing.status.in_(OPEN_STATUSES))
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.is_active_account.is_(True),
                User.role != Role.HR,
                User.id.not_in(busy),
            )
            .order_by(User.name)
        ).all()
    )
