"""Challenge events as the challenge room publishes them, for the tests of the rooms that listen
(perks, badges, thanks, notices): ids made up, titles in both languages."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from community import events
from community.core.time import utcnow

_ids = itertools.count(9001)


def prize(user_id: int, **fields: Any) -> events.ChallengePrizeAwarded:
    """A ChallengePrizeAwarded as the challenge room publishes it (its ids made up)."""
    values: dict[str, Any] = {
        "award_id": next(_ids),
        "challenge_id": 77,
        "title": "春季内推冲刺",
        "title_en": "Spring referral sprint",
        "prize_id": 5,
        "user_id": user_id,
        "rank": 1,
        "points": 500,
        "perk_id": None,
        "badge": False,
        "at": utcnow(),
    }
    values.update(fields)
    return events.ChallengePrizeAwarded(**values)


def finalized(
    winners: tuple[tuple[int, int], ...], host_id: int, **fields: Any
) -> events.ChallengeFinalized:
    values: dict[str, Any] = {
        "challenge_id": 77,
        "title": "春季内推冲刺",
        "title_en": "Spring referral sprint",
        "host_id": host_id,
        "participant_ids": tuple(user_id for user_id, _rank in winners),
        "winners": winners,
        "thank_winners": True,
        "at": utcnow(),
    }
    values.update(fields)
    return events.ChallengeFinalized(**values)


def later(days: int = 0, hours: int = 0) -> datetime:
    return utcnow() + timedelta(days=days, hours=hours)
