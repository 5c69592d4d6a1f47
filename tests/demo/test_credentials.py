"""The demo's credentials: the demo employee's, valid and in Chinese with their name, and a
colleague's whose badge HR revoked."""

from __future__ import annotations

from sqlalchemy import select

from community.credentials import services
from community.credentials.models import IssuedCredential
from community.extensions import db


def test_a_valid_and_a_revoked_credential(seeded: str) -> None:
    issued = db.session.scalars(select(IssuedCredential).order_by(IssuedCredential.id)).all()
    assert len(issued) == 2
    mine, revoked = issued
    assert mine.user.email == "employee@demo.example" and mine.show_name
    assert services.verify_jwt(mine.jwt).valid
    assert revoked.revoked_at is not None and revoked.award.revoked_at is not None
    assert not services.verify_jwt(revoked.jwt).valid
