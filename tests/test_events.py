"""Rooms talk through events (community/events/): who listens to what, and that a listener
runs inside the publisher's transaction, so one that fails leaves nothing half-written."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.badges.models import UserBadge
from community.core.time import utcnow
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
    # invites: an invitation being accepted becomes accepted in the referral's transaction
    # webhooks (ReferralSubmitted, StageAdvanced, HireConfirmed, PayoutChanged): queue a
    # delivery for each endpoint that takes the event, inside the same transaction
    events.ReferralSubmitted: ["badges", "invites", "webhooks", "notifications"],
    # points twice: the stage's points, then a void rejection's reversal
    # club: a first hire makes a member
    # mentoring twice: the mentor's reward, then a void rejection's reversal of it
    events.StageAdvanced: [
        "points",
        "points",
        "club",
        "badges",
        "payouts",
        "mentoring",
        "mentoring",
        "network",  # the follow-up coach's line under the referrer's notification
        "webhooks",
        "notifications",
    ],
    events.HireConfirmed: ["webhooks"],
    events.HireLeft: ["payouts", "notifications"],
    events.InterviewFeedbackAdded: ["notifications"],
    # network: leave the job for the worker to match against the private networks
    events.JobOpened: ["network"],
    # invites: the open invitations to a closed job expire
    events.JobClosed: ["invites"],
    events.NetworkSuggestionsFound: ["network"],
    events.PersonChanged: ["leaderboards"],
    # points: the "+N points" line; challenges: credit and bonus, before the projection
    # club: a level may make a member
    events.PointsRecorded: ["points", "challenges", "club", "leaderboards"],
    events.BadgeGranted: ["points", "badges", "thanks"],
    events.BadgeRevoked: ["badges", "credentials"],  # tell the person; revoke its credentials
    events.LevelsChanged: [],
    events.PayoutChanged: ["payouts", "thanks", "webhooks"],
    events.RedemptionChanged: ["perks"],
    # teamchat: queue the message for the group robots (inside the same transaction);
    # mail: the announcement by e-mail to everyone who did not unsubscribe
    events.AnnouncementPosted: ["thanks", "teamchat", "mail"],
    events.ThanksPosted: ["teamchat"],
    # challenges: its notices (`challenges.notices`); the prize's badge, voucher and thanks
    events.ChallengeApproved: ["challenges"],
    events.ChallengeSubmitted: ["challenges"],
    events.ChallengeCancelled: ["challenges"],
    events.ChallengeEntryChanged: ["challenges"],
    events.ChallengeWentLive: ["challenges"],
    events.ChallengeClosingSoon: ["challenges"],
    events.ChallengeEnded: ["challenges"],
    events.ChallengeTopThree: ["challenges"],
    events.ChallengeFinalized: ["challenges", "thanks", "teamchat"],
    events.ChallengePrizeAwarded: ["challenges", "badges", "perks"],
    events.ClubMembershipChanged: ["club"],
    events.MentorshipChanged: ["mentoring"],
    # the forum opens the session's topic for questions
    events.SharingSessionScheduled: ["forum"],
    events.SharingSessionChanged: ["sharing"],
    events.SharingSessionCancelled: ["sharing"],
    events.SharingSeatGiven: ["sharing"],
    events.SharingReminderDue: ["sharing"],
    events.ForumPostsChanged: ["search"],
    # forum: its notices; the accepted answer's and the vote's points before them
    events.ForumPostWritten: ["forum"],
    events.ForumAnswerAccepted: ["forum", "forum"],
    events.ForumPostVoted: ["forum", "forum"],
    # invites: the referrer is told of a "no" (a "yes" is the referral's own notice)
    events.InvitationSent: [],
    events.InvitationAccepted: [],
    events.InvitationDeclined: ["invites"],
    events.InvitationExpired: [],
    # mail: "e-mail now" for the people who chose it
    events.NotificationsDelivered: ["mail"],
    # mail: the in-app notice to everyone (its `notices`), then the e-mail of what changed
    events.ProgramRulesChanged: ["mail", "mail"],
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


def test_a_hire_is_one_notification_led_by_the_move() -> None:
    """A hire also earns points, a badge and a bonus, each announced by its own room; the
    referrer gets one notification, led by what happened to their candidate, the rest as its
    lines (notifications gather what one cause sets off: events.Cause)."""
    from community.notifications.queries import recent_for

    hr = make_user(role=Role.HR)
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER)
    before = len(recent_for(referral.referrer_id))
    advance(referral, Stage.HIRED, hr)
    notes = recent_for(referral.referrer_id)
    assert len(notes) == before + 1
    assert notes[0].kind == "referral_stage"
    assert {"points_earned", "badge_earned", "payout_created"} <= {
        detail["kind"] for detail in notes[0].details or []
    }


def test_the_cause_is_the_outermost_event_and_settles_after_its_last_listener() -> None:
    seen: list[str] = []

    def outer(event: events.LevelsChanged) -> None:
        cause = events.cause()
        assert cause is not None and cause.event is event
        cause.when_settled("test", lambda: seen.append("settled"))
        events.publish(events.PersonChanged(event.actor_id, frozenset(), event.at))
        seen.append("outer done")

    def inner(event: events.PersonChanged) -> None:
        cause = events.cause()
        assert cause is not None and isinstance(cause.event, events.LevelsChanged)
        seen.append("inner")

    events.subscribe(events.LevelsChanged, outer)
    events.subscribe(events.PersonChanged, inner)
    try:
        events.publish(events.LevelsChanged(actor_id=1, at=utcnow()))
    finally:
        events.unsubscribe(events.LevelsChanged, outer)
        events.unsubscribe(events.PersonChanged, inner)
    db.session.rollback()
    assert seen == ["inner", "outer done", "settled"]
    assert events.cause() is None
