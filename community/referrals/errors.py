"""The referrals room's refusal."""

from __future__ import annotations

from community.core.errors import DomainError


class ReferralError(DomainError):
    """A referral refused or a move not made; the message never names another referrer or
    referral. `code` tells the kinds a page treats apart: "low_match" (most hard requirements
    not met and not confirmed yet), "stage_conflict" (the referral moved meanwhile)."""
