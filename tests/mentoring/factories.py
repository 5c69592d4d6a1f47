"""Mentoring factories: an experienced mentor (a confirmed hire, an open offer), a pairing."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.mentoring import services
from community.mentoring.models import Pairing
from community.notifications.models import Notification
from community.pipeline import Stage
from community.referrals.models import Referral
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def give_hire(person: User, hr: User) -> Referral:
    """A referral of `person`'s, hired (HR moves it)."""
    referral = make_referral(person)
    return walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)


def make_mentor(
    person: User, hr: User, capacity: int = 2, topics: str = "简历, Interviews"
) -> User:
    give_hire(person, hr)
    services.save_offer(person, topics, "I have **hired** friends.", capacity)
    return person


def make_pairing(mentor: User, mentee: User, message: str = "Please help me") -> Pairing:
    """A request accepted: a running pairing."""
    pairing = services.request_mentor(mentee, mentor.id, message)
    return services.accept_request(mentor, pairing.id)


def accept_referral(referral: Referral, hr: User) -> Referral:
    """HR accepts a referral into the pipeline: it passed screening."""
    return walk(referral, hr, Stage.SCREENING)


def inbox(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def kinds(user: User) -> list[str]:
    return [n.kind for n in inbox(user)]
