"""Challenge events as the challenge room publishes them, for the tests of the rooms that listen
(perks, badges, thanks, notices): titles in both languages, and the rows the ids name (a
challenge, its prize, the award) made when missing, as their foreign keys ask."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from community import events
from community.challenges.models import Challenge, ChallengeAward, ChallengePrize
from community.core.time import utcnow
from community.extensions import db

_ids = itertools.count(9001)


def _challenge(challenge_id: int, host_id: int | None) -> None:
    """The challenge row an event names (with that id), made once."""
    if db.session.get(Challenge, challenge_id) is not None:
        return
    now = utcnow()
    if host_id is None:
        from tests.factories import make_user

        host_id = make_user(name="Host of the test").id
    db.session.add(
        Challenge(
            id=challenge_id,
            title="测试",
            host_id=host_id,
            starts_at=now,
            ends_at=now + timedelta(1),
        )
    )
    db.session.flush()


def _award(values: dict[str, Any]) -> None:
    """The award row an event names, under a prize tier of its own (no listener reads the
    event's `prize_id`)."""
    _challenge(values["challenge_id"], None)
    if db.session.get(ChallengeAward, values["award_id"]) is not None:
        return
    prize = ChallengePrize(challenge_id=values["challenge_id"])
    db.session.add(prize)
    db.session.flush()
    db.session.add(
        ChallengeAward(
            id=values["award_id"],
            challenge_id=values["challenge_id"],
            prize_id=prize.id,
            user_id=values["user_id"],
        )
    )
    db.session.commit()


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
    _award(values)
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
        "thanked": winners,
        "at": utcnow(),
    }
    values.update(fields)
    _challenge(values["challenge_id"], host_id)
    db.session.commit()
    return events.ChallengeFinalized(**values)


def later(days: int = 0, hours: int = 0) -> datetime:
    return utcnow() + timedelta(days=days, hours=hours)
