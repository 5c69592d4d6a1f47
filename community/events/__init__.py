"""Every domain event, declared once (Indico's signals, on Flask's own blinker).

A room that owns a fact publishes that it happened: `events.publish(StageAdvanced(...))`. The rooms
that care subscribe in their own `init_app` (`events.subscribe(StageAdvanced, award_stage_points)`),
so the publisher never imports its listeners and a new room is added without touching the old.

Rules every listener keeps:
- It runs inside the publisher's transaction, in the publisher's thread, before the commit. It
  adds rows to `db.session` and never commits; if it raises, the publisher rolls back and nothing
  of the event is written. Work that must wait for the commit (Redis) is registered with
  `core.transaction.after_commit`.
- It reads what it needs from the event; an event carries the data its listeners need, so that a
  listener does not reach into the publisher's internals (it may still load a model by its id).
- Listeners of one event run in the order they subscribed (the order of `init_app` calls in
  `create_app`), but none may rely on another having run: each writes only its own rows, and
  what it causes in turn is another event.

Each event below says who publishes it and who listens (docs/architecture.md draws the map).
"""

from __future__ import annotations

from community.events.bus import (
    Cause,
    Event,
    cause,
    listeners,
    publish,
    subscribe,
    unsubscribe,
)
from community.events.challenges import *  # noqa: F403
from community.events.club import *  # noqa: F403
from community.events.game import *  # noqa: F403
from community.events.invites import *  # noqa: F403
from community.events.network import *  # noqa: F403
from community.events.notices import *  # noqa: F403
from community.events.spine import *  # noqa: F403
from community.events.spine import SHOWN_FIELDS

ALL_EVENTS: tuple[type[Event], ...] = (
    ReferralSubmitted,
    StageAdvanced,
    HireConfirmed,
    HireLeft,
    InterviewFeedbackAdded,
    JobClosed,
    JobOpened,
    PersonChanged,
    PointsRecorded,
    BadgeGranted,
    BadgeRevoked,
    LevelsChanged,
    PayoutChanged,
    RedemptionChanged,
    AnnouncementPosted,
    ThanksPosted,
    ChallengeApproved,
    ChallengeSubmitted,
    ChallengeCancelled,
    ChallengeEntryChanged,
    ChallengeWentLive,
    ChallengeClosingSoon,
    ChallengeEnded,
    ChallengeTopThree,
    ChallengeFinalized,
    ChallengePrizeAwarded,
    ClubMembershipChanged,
    ForumPostsChanged,
    SharingSessionScheduled,
    SharingSessionChanged,
    SharingSessionCancelled,
    SharingSeatGiven,
    SharingReminderDue,
    ForumPostWritten,
    ForumAnswerAccepted,
    ForumPostVoted,
    MentorshipChanged,
    NetworkSuggestionsFound,
    InvitationSent,
    InvitationAccepted,
    InvitationDeclined,
    InvitationExpired,
    NotificationsDelivered,
    ProgramRulesChanged,
)
