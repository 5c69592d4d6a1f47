"""The demo's mentoring: open offers, and a running pairing with a goal and private check-ins."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.demo.data import DEMO_PASSWORD, NEWCOMER_LOGIN
from community.extensions import db
from community.mentoring import queries, rules
from community.mentoring.models import Pairing, PairingStatus
from community.referrals.models import Referral


def test_a_mentoring_pair_with_a_goal_and_check_ins(seeded: str) -> None:
    pairing = db.session.scalars(select(Pairing)).one()
    assert pairing.status == PairingStatus.ACTIVE
    assert pairing.goal and pairing.goal_due_on and pairing.ends_on
    assert len(pairing.notes) == 3
    assert {note.author_id for note in pairing.notes} == {pairing.mentor_id, pairing.mentee_id}
    assert [n.created_at for n in pairing.notes] == sorted(n.created_at for n in pairing.notes)
    assert pairing.share_referral_count and pairing.share_stages


def test_the_directory_has_mentors_with_free_places(seeded: str) -> None:
    cards = queries.directory()
    assert len(cards) == 2
    assert all(card.offer.topics for card in cards)
    assert sum(card.taken for card in cards) == 1


def test_the_newcomer_login_is_the_mentee_and_has_referred_nobody(seeded: str) -> None:
    # The mentee's side of 老带新 can be tried: newcomer@demo.example is in the pair, fresh.
    newcomer = db.session.scalars(select(User).where(User.email == NEWCOMER_LOGIN)).one()
    assert newcomer.check_password(DEMO_PASSWORD) and newcomer.is_active_account
    assert rules.is_newcomer(newcomer) and not rules.may_mentor(newcomer)
    assert db.session.scalar(select(Referral.id).where(Referral.referrer_id == newcomer.id)) is None
    pairing = db.session.scalars(select(Pairing)).one()
    assert pairing.mentee_id == newcomer.id
    mentor = db.session.get(User, pairing.mentor_id)
    assert mentor is not None and mentor.email == "employee@demo.example"
    assert newcomer.created_at < pairing.requested_at  # joined before asking


def test_the_newcomer_is_among_the_printed_logins(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo-logins"])
    assert NEWCOMER_LOGIN in result.output and "周可欣" in result.output
