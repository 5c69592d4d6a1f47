"""Rooms talk through events (community/events.py): who listens to what, and that a listener
runs inside the publisher's transaction, so one that fails leaves nothing half-written."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.badges.models import UserBadge
from community.extensions import db
from community.notifications.models import Notification
from community.payouts.models import Payout
from community.pipeline import Stage
from community.points.models import PointEntry
from community.referrals.models import Referral, ReferralEvent
from tests.factories import make_user
from tests.pipeline import advance, walk
from tests.referrals.factories import make_referral

# Which rooms listen to each event, in the order they run (create_app's order of rooms).
LISTENERS = {
    events.ReferralSubmitted: ["badges", "notifications"],
    events.StageAdvanced: ["points", "badges", "payouts", "notifications"],
    events.HireConfirmed: [],
    events.HireLeft: ["payouts", "notifications"],
    events.PersonChanged: ["leaderboards"],
    events.PointsRecorded: ["leaderboards"],
    events.BadgeGranted: ["points", "badges", "thanks"],
    events.LevelsChanged: [],
    events.PayoutChanged: ["payouts", "thanks"],
    events.RedemptionChanged: ["perks"],
    events.AnnouncementPosted: ["thanks"],
}


def test_every_event_is_declared_once() -> None:
    declared = {cls for cls in vars(events).values() if isinstance(cls, type)}
    assert {cls for cls in declared if issubclass(cls, events.Event)} - {events.Event} == set(
        events.ALL_EVENTS
    )
    assert set(LISTENERS) == set(events.ALL_EVENTS)


def test_each_room_listens_where_the_map_says(app: Flask) -> None:
    found = {
        event_type: [listener.__module__.split(".")[1] for listener in events.listeners(event_type)]
        for event_type in events.ALL_EVENTS
    }
    assert found == LISTENERS


def test_a_failing_listener_leaves_the_stage_change_unwritten() -> None:
    hr = make_user(role=Role.HR)
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER)
    counts = _counts()

    def broken(event: events.StageAdvanced) -> None:
        raise RuntimeError("a listener failed")

    events.subscribe(events.StageAdvanced, broken)
    try:
        with pytest.raises(RuntimeError):
            advance(referral, Stage.HIRED, hr)
    finally:
        events.unsubscribe(events.StageAdvanced, broken)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).stage == Stage.OFFER
    assert _counts() == counts  # no history, points, payout, badge or notification
    # The same move goes through once nothing is broken, with everything its listeners write.
    assert advance(referral, Stage.HIRED, hr).stage == Stage.HIRED
    after = _counts()
    assert all(after[name] > counts[name] for name in ("events", "points", "payouts", "notes"))


def _counts() -> dict[str, int]:
    def count(model: type) -> int:
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)

    return {
        "events": count(ReferralEvent),
        "points": count(PointEntry),
        "payouts": count(Payout),
        "badges": count(UserBadge),
        "notes": count(Notification),
    }


def test_the_move_itself_tops_the_referrers_inbox() -> None:
    """A hire also earns a badge and a bonus; the referrer reads first what happened to their
    candidate (notifications listen last, so its notice is written last)."""
    from community.notifications.queries import recent_for

    hr = make_user(role=Role.HR)
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    kinds = [note.kind for note in recent_for(referral.referrer_id)]
    assert kinds[0] == "referral_stage"
    assert {"badge_earned", "payout_created"} <= set(kinds)
