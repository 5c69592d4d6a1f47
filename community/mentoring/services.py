"""Mentoring writes, part one: a mentor's offer, a newcomer's request and the mentor's answer,
and HR's pairing. (The pairing's own life — goal, notes, sharing, end — is `pairings`; the
mentor's reward is `rewards`.)

Every function is one transaction: it commits, or rolls back and raises `MentoringError` with a
message in the reader's language, so a refusal writes nothing. Capacity holds under concurrency:
whatever takes a place (an accept, HR's pairing) locks the mentor's offer row first and counts the
active pairings under that lock; whatever opens a pairing for a mentee locks the mentee's user row,
so a mentee never has two open pairings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND, DomainError
from community.core.permissions import is_hr
from community.core.time import local_today, utcnow
from community.core.transaction import committed
from community.extensions import db
from community.mentoring import rules
from community.mentoring.models import (
    OPEN_STATUSES,
    MentorOffer,
    OfferStatus,
    Pairing,
    PairingStatus,
)

MAX_TOPICS = 8
MAX_TOPIC_CHARS = 30
MAX_ABOUT = 2000
MAX_MESSAGE = 1000
MAX_GOAL = 200


class MentoringError(DomainError):
    """A mentoring change refused: not allowed, no place left, bad input, or the state moved."""


def publish(
    pairing: Pairing, change: str, actor: User | None, at: datetime, points: int = 0
) -> None:
    """Tell the rooms that listen (notifications) what happened to `pairing`."""
    events.publish(
        events.MentorshipChanged(
            pairing_id=pairing.id,
            change=change,
            mentor_id=pairing.mentor_id,
            mentee_id=pairing.mentee_id,
            mentor_name=pairing.mentor.shown_name,
            mentee_name=pairing.mentee.shown_name,
            actor_id=actor.id if actor else None,
            at=at,
            points=points,
        )
    )


def clean_text(value: str | None, limit: int, field: str, *, required: bool = False) -> str:
    """Trimmed text of at most `limit` characters, or a refusal for `field`."""
    text = (value or "").strip()
    if required and not text:
        raise MentoringError(_("Please fill this in."), field=field)
    if len(text) > limit:
        raise MentoringError(
            ngettext(
                "Too long: at most %(num)d character.",
                "Too long: at most %(num)d characters.",
                limit,
            ),
            field=field,
        )
    return text


def parse_topics(raw: str | None) -> list[str]:
    """Topics typed as a list separated by commas (either width: "简历，面试"), or lines."""
    text = (raw or "").replace("，", ",").replace("、", ",").replace("\n", ",")
    topics: list[str] = []
    for part in text.split(","):
        topic = " ".join(part.split())
        if topic and topic.casefold() not in {t.casefold() for t in topics}:
            topics.append(topic)
    if not topics:
        raise MentoringError(_("Name at least one topic you can help with."), field="topics")
    if len(topics) > MAX_TOPICS:
        raise MentoringError(
            ngettext("At most %(num)d topic.", "At most %(num)d topics.", MAX_TOPICS),
            field="topics",
        )
    if any(len(topic) > MAX_TOPIC_CHARS for topic in topics):
        raise MentoringError(
            ngettext(
                "A topic has at most %(num)d character.",
                "A topic has at most %(num)d characters.",
                MAX_TOPIC_CHARS,
            ),
            field="topics",
        )
    return topics


def _check_capacity(capacity: int | None) -> int:
    top = int(current_app.config.get("MENTORING_MAX_CAPACITY", 5))
    if capacity is None or isinstance(capacity, bool) or not 1 <= capacity <= top:
        raise MentoringError(
            _("Capacity is a whole number from 1 to %(max)d.", max=top), field="capacity"
        )
    return capacity


def active_count(mentor_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(Pairing.id)).where(
                Pairing.mentor_id == mentor_id, Pairing.status == PairingStatus.ACTIVE
            )
        )
        or 0
    )


def offer_of(user_id: int) -> MentorOffer | None:
    return db.session.scalars(select(MentorOffer).where(MentorOffer.user_id == user_id)).first()


def _locked_offer(user_id: int) -> MentorOffer | None:
    return db.session.scalars(
        select(MentorOffer).where(MentorOffer.user_id == user_id).with_for_update()
    ).first()


# The offer ---------------------------------------------------------------------------------


def save_offer(
    user: User, topics: str | None, about: str | None, capacity: int | None
) -> MentorOffer:
    """Offer to mentor (or change the offer): topics, a few words about oneself, a capacity.
    Only the experienced may (`rules.may_mentor`). Saving a withdrawn offer opens it again; a
    paused one stays paused. A capacity below the current pairings is refused (end one first)."""
    if not rules.may_mentor(user):
        raise MentoringError(
            _("Mentors are colleagues with a confirmed hire among their referrals."),
            status=FORBIDDEN,
        )
    with committed():
        parsed = parse_topics(topics)
        text = clean_text(about, MAX_ABOUT, "about")
        places = _check_capacity(capacity)
        offer = _locked_offer(user.id)
        taken = active_count(user.id)
        if places < taken:
            raise MentoringError(
                ngettext(
                    "You mentor %(num)d person now: the capacity cannot be lower.",
                    "You mentor %(num)d people now: the capacity cannot be lower.",
                    taken,
                ),
                field="capacity",
            )
        now = utcnow()
        if offer is None:
            offer = MentorOffer(user_id=user.id, created_at=now)
            db.session.add(offer)
        elif offer.status == OfferStatus.WITHDRAWN:
            offer.status = OfferStatus.OPEN
        offer.topics, offer.about, offer.capacity, offer.updated_at = parsed, text, places, now
    return offer


def set_offer_status(user: User, status: OfferStatus) -> MentorOffer:
    """Pause, reopen or withdraw one's own offer. Current pairings go on either way; pending
    requests stay for the mentor to answer."""
    with committed():
        offer = _locked_offer(user.id)
        if offer is None:
            raise MentoringError(_("You have not offered to mentor."), status=NOT_FOUND)
        if status == OfferStatus.OPEN and not rules.may_mentor(user):
            raise MentoringError(
                _("Mentors are colleagues with a confirmed hire among their referrals."),
                status=FORBIDDEN,
            )
        offer.status = OfferStatus(status)
        offer.updated_at = utcnow()
    return offer


# Requests ------------------------------------------------------------------------------------


def _lock_person(user_id: int) -> User:
    return db.session.scalars(select(User).where(User.id == user_id).with_for_update()).one()


def open_pairing_of(mentee_id: int) -> Pairing | None:
    """The mentee's request or pairing in progress (at most one)."""
    return db.session.scalars(
        select(Pairing).where(Pairing.mentee_id == mentee_id, Pairing.status.in_(OPEN_STATUSES))
    ).first()


def _refuse_if_open(mentee_id: int, *, by_hr: bool = False) -> None:
    if open_pairing_of(mentee_id) is not None:
        raise MentoringError(
            _("This colleague already has a mentor or a request waiting.")
            if by_hr
            else _("You already have a mentor or a request waiting. Finish or withdraw it first."),
            field="mentee_id" if by_hr else None,
            status=CONFLICT,
        )


def _open_offer(mentor_id: int) -> MentorOffer:
    offer = _locked_offer(mentor_id)
    mentor = db.session.get(User, mentor_id)
    if offer is None or offer.status != OfferStatus.OPEN or not rules.may_mentor(mentor):
        raise MentoringError(_("This colleague is not taking mentees now."), status=CONFLICT)
    return offer


def _refuse_if_full(offer: MentorOffer) -> None:
    if active_count(offer.user_id) >= offer.capacity:
        raise MentoringError(_("This mentor has no free place now."), status=CONFLICT)


def request_mentor(mentee: User, mentor_id: int, message: str | None) -> Pairing:
    """A newcomer asks a mentor, with a message. Refused for someone who is not a newcomer, to
    oneself, to a mentor without a free place or an open offer, and while another request or
    pairing of theirs is open."""
    if not rules.is_newcomer(mentee):
        raise MentoringError(
            _(
                "Mentoring is for newcomers: colleagues who joined recently or whose referrals "
                "have not passed screening yet. HR can still pair you with a mentor."
            ),
            status=FORBIDDEN,
        )
    if mentor_id == mentee.id:
        raise MentoringError(_("You cannot mentor yourself."))
    with committed():
        text = clean_text(message, MAX_MESSAGE, "message", required=True)
        _lock_person(mentee.id)
        _refuse_if_open(mentee.id)
        offer = _open_offer(mentor_id)
        _refuse_if_full(offer)
        now = utcnow()
        pairing = Pairing(
            mentor_id=mentor_id,
            mentee_id=mentee.id,
            requested_by_id=mentee.id,
            status=PairingStatus.REQUESTED,
            message=text,
            requested_at=now,
        )
        db.session.add(pairing)
        db.session.flush()
        publish(pairing, "requested", mentee, now)
    return pairing


def _locked_pairing(pairing_id: int) -> Pairing:
    pairing = db.session.scalars(
        select(Pairing).where(Pairing.id == pairing_id).with_for_update()
    ).first()
    if pairing is None:
        raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
    return pairing


def _start(
    pairing: Pairing, now: datetime, goal: str = "", goal_due_on: date | None = None
) -> None:
    days = int(current_app.config.get("MENTORING_DEFAULT_DAYS", 90))
    pairing.status = PairingStatus.ACTIVE
    pairing.started_at = now
    pairing.goal = goal
    pairing.goal_due_on = goal_due_on
    pairing.ends_on = local_today() + timedelta(days=days)


def accept_request(mentor: User, pairing_id: int) -> Pairing:
    """The mentor takes the newcomer on: the pairing starts (a default end date, no goal yet). The
    mentor's offer row is locked while the place is counted, so two accepts cannot overfill it."""
    with committed():
        offer = _locked_offer(mentor.id)
        pairing = _locked_pairing(pairing_id)
        if pairing.mentor_id != mentor.id:
            raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
        if pairing.status != PairingStatus.REQUESTED:
            raise MentoringError(_("This request was already answered."), status=CONFLICT)
        if offer is None or active_count(mentor.id) >= offer.capacity:
            raise MentoringError(
                _("You have no free place. Raise your capacity or end a pairing first."),
                status=CONFLICT,
            )
        now = utcnow()
        pairing.answered_at = now
        _start(pairing, now)
        publish(pairing, "accepted", mentor, now)
    return pairing


def decline_request(mentor: User, pairing_id: int, answer: str | None) -> Pairing:
    """The mentor says no, with an optional kind word the newcomer reads."""
    with committed():
        text = clean_text(answer, MAX_MESSAGE, "answer")
        pairing = _locked_pairing(pairing_id)
        if pairing.mentor_id != mentor.id:
            raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
        if pairing.status != PairingStatus.REQUESTED:
            raise MentoringError(_("This request was already answered."), status=CONFLICT)
        now = utcnow()
        pairing.status, pairing.answer, pairing.answered_at = PairingStatus.DECLINED, text, now
        publish(pairing, "declined", mentor, now)
    return pairing


def withdraw_request(mentee: User, pairing_id: int) -> Pairing:
    """The newcomer takes back a request the mentor has not answered."""
    with committed():
        pairing = _locked_pairing(pairing_id)
        if pairing.mentee_id != mentee.id:
            raise MentoringError(_("This pairing does not exist."), status=NOT_FOUND)
        if pairing.status != PairingStatus.REQUESTED:
            raise MentoringError(_("This request was already answered."), status=CONFLICT)
        now = utcnow()
        pairing.status, pairing.answered_at = PairingStatus.WITHDRAWN, now
        publish(pairing, "withdrawn", mentee, now)
    return pairing


def pair(
    hr: User,
    mentor_id: int | None,
    mentee_id: int | None,
    goal: str | None,
    goal_due_on: date | None,
) -> Pairing:
    """HR pairs a colleague with a mentor, active at once (both are told). The mentor needs an
    open offer with a free place; the colleague may not have another request or pairing open."""
    if not is_hr(hr):
        raise MentoringError(_("Only HR can pair colleagues."), status=FORBIDDEN)
    if mentor_id is None:
        raise MentoringError(_("Choose a mentor."), field="mentor_id")
    if mentee_id is None:
        raise MentoringError(_("Choose a colleague to mentor."), field="mentee_id")
    if mentor_id == mentee_id:
        raise MentoringError(_("Nobody mentors themselves."), field="mentee_id")
    with committed():
        text = clean_text(goal, MAX_GOAL, "goal")
        if goal_due_on is not None and goal_due_on < local_today():
            raise MentoringError(_("The due date has passed."), field="goal_due_on")
        mentee = db.session.get(User, mentee_id)
        if not rules.may_be_paired(mentee):
            raise MentoringError(_("Choose an active colleague."), field="mentee_id")
        _lock_person(mentee_id)
        _refuse_if_open(mentee_id, by_hr=True)
        offer = _open_offer(mentor_id)
        _refuse_if_full(offer)
        now = utcnow()
        pairing = Pairing(
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            requested_by_id=hr.id,
            status=PairingStatus.ACTIVE,
            requested_at=now,
            answered_at=now,
        )
        _start(pairing, now, text, goal_due_on)
        db.session.add(pairing)
        db.session.flush()
        publish(pairing, "paired", hr, now)
    return pairing
