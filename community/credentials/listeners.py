"""A badge HR revokes revokes every credential exported for it, in the revocation's
transaction (the revocation list and the verification pages read it at once)."""

from __future__ import annotations

from community import events
from community.credentials import services


def badge_revoked(event: events.BadgeRevoked) -> None:
    services.revoke_for_award(event.award_id, event.at)


def init_app() -> None:
    events.subscribe(events.BadgeRevoked, badge_revoked)
