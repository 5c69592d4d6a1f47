"""Who may see a challenge: one small predicate the pages, the host's views and templates share.

A challenge nobody approved yet (a draft, one awaiting approval, or one cancelled before it was
ever approved) is the host's and HR's alone; everyone else gets the same 404 as for a challenge
that does not exist. Every other challenge is open to every signed-in person.
"""

from __future__ import annotations

from community.accounts.models import User
from community.challenges.models import Challenge, ChallengeStatus
from community.core.permissions import is_hr

UNPUBLISHED = (ChallengeStatus.DRAFT, ChallengeStatus.AWAITING_APPROVAL)


def is_host_or_hr(user: User, challenge: Challenge) -> bool:
    return is_hr(user) or (bool(user.is_authenticated) and challenge.host_id == user.id)


def is_published(challenge: Challenge) -> bool:
    """Whether the challenge was ever announced: approved (or scheduled by HR), and not a draft."""
    if challenge.status in UNPUBLISHED:
        return False
    return challenge.status != ChallengeStatus.CANCELLED or challenge.approved_at is not None


def can_view(user: User, challenge: Challenge) -> bool:
    """Drafts and challenges awaiting approval only for the host and HR; the rest for everyone
    signed in."""
    if not user or not user.is_authenticated:
        return False
    return is_published(challenge) or is_host_or_hr(user, challenge)
