"""The invitation routes for the security tests: the pages for everyone, and whose record an
invitation id names in the id-guessing test (the referrer's: nobody else's to see or withdraw)."""

from __future__ import annotations

from community.invites import services
from tests.security.conftest import Company


def referrers_invitation(company: Company) -> int:
    """An open invitation of the referrer's (made once per test)."""
    if "invitation_id" not in company.__dict__:
        invitation = services.send_invitation(
            company.referrer, company.job.id, "secret.candidate@example.org", "en", "Hi"
        )
        company.__dict__["invitation_id"] = invitation.id
    return company.__dict__["invitation_id"]


INVITES_GETS = {
    "invites.mine": lambda c: "/invites/",
    "invites.new": lambda c: "/invites/new",
}
