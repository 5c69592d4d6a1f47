"""The demo's mentoring: open offers, and a running pairing with a goal and private check-ins."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.mentoring import queries
from community.mentoring.models import Pairing, PairingStatus


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
