from __future__ import annotations

import pytest

from community.accounts.models import User
from community.badges.models import DEFAULT_LEVELS, Level
from community.extensions import db
from community.referrals.models import Referral
from tests.referrals.factories import make_referral


@pytest.fixture(autouse=True)
def levels() -> list[Level]:
    """The levels the migration seeds (tests build the schema with create_all)."""
    rows = [Level(threshold=t, name_en=en, name_zh=zh) for t, en, zh in DEFAULT_LEVELS]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def referral_by(user: User, **kwargs: object) -> Referral:
    return make_referral(referrer=user, **kwargs)  # type: ignore[arg-type]
