from __future__ import annotations

import pytest


@pytest.fixture
def hr():
    from community.accounts.models import Role
    from tests.factories import make_user

    return make_user(role=Role.HR, name="Hannah HR")


@pytest.fixture(autouse=True)
def _no_gold_tiers_from_test_hires(_request_context: None) -> None:
    """The wall tests count posts; a test hire would also earn a gold-referrer tier (and its own
    post, tested in tests/badges). Raise the thresholds out of reach here."""
    from community.badges.models import BadgeSettings
    from community.extensions import db

    db.session.add(
        BadgeSettings(gold_bronze_hires=998, gold_silver_hires=999, gold_gold_hires=1000)
    )
    db.session.commit()
