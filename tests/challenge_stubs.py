"""Stand-ins until the challenges room is merged: its page `challenges.detail`, which vouchers,
the thanks wall and the challenge notices link to, and the wiring of `challenges.notices`.

DELETE after merging with the challenges room (and the `usefixtures("challenge_page")` /
`challenge_notices` uses in tests/perks, tests/badges, tests/thanks and tests/challenges).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from community import events
from community.core.time import utcnow

_ids = itertools.count(9001)


@pytest.fixture
def challenge_page(app: Flask) -> None:
    """`challenges.detail` at /challenges/<id>. Added to the URL map directly: the session's app
    has served requests already, so `add_url_rule` would refuse."""
    if "challenges.detail" not in app.view_functions:
        app.url_map.add(Rule("/challenges/<int:challenge_id>", endpoint="challenges.detail"))
        app.view_functions["challenges.detail"] = lambda challenge_id: ""


def _notice_listeners() -> list[tuple[type[events.Event], Any]]:
    return [
        (event_type, listener)
        for event_type in events.ALL_EVENTS
        for listener in events.listeners(event_type)
        if getattr(listener, "__module__", "") == "community.challenges.notices"
    ]


@pytest.fixture
def challenge_notices(challenge_page: None) -> Iterator[None]:
    """`challenges.notices` subscribed for the test (unsubscribed after it, unless create_app
    had wired it already)."""
    from community.challenges import notices

    wired = bool(_notice_listeners())
    notices.init_app()
    yield
    if not wired:
        for event_type, listener in _notice_listeners():
            events.unsubscribe(event_type, listener)


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
