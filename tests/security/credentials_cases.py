"""The credentials room and badge revocation for the security tests: HR's revoke row of the role
matrix, and whose record an award id names in the id-guessing test (the referrer's badge: only
they export it, only HR revokes it). Rows, not `Case`s, so that this module need not import the
test module that reads it."""

from __future__ import annotations

from typing import Any

from community.badges import services as badge_services
from community.badges.models import UserBadge
from community.extensions import db
from tests.security.conftest import Company


def referrers_award(company: Company) -> int:
    """A badge HR granted the referrer (made once per test)."""
    if "award_id" not in company.__dict__:
        award = badge_services.grant_badge(
            company.hr, company.referrer, "mentor", "Mentored two newcomers"
        )
        company.__dict__["award_id"] = award.id
    return company.__dict__["award_id"]


def _revoked(company: Company) -> bool:
    award = db.session.get(UserBadge, referrers_award(company))
    db.session.refresh(award)
    return award.revoked_at is not None


def _reason(company: Company) -> dict[str, Any]:
    return {"reason": "Granted by mistake"}


# (endpoint, method, path, HR's status, data, done) for the role matrix.
CREDENTIALS_ROWS = [
    (
        "people.revoke_badge",
        "POST",
        lambda c: f"/people/{c.referrer.id}/badges/{referrers_award(c)}/revoke",
        302,
        _reason,
        _revoked,
    ),
]
