"""Imports every domain's models so SQLAlchemy metadata and Alembic see all tables."""

from community.accounts.models import Department, PasswordToken, Role, User
from community.badges.models import BadgeSettings, Level, UserBadge
from community.challenges.models import (
    Challenge,
    ChallengeAward,
    ChallengeChange,
    ChallengeCredit,
    ChallengeEntrant,
    ChallengePrize,
)
from community.club.models import ClubMember, MemberSource
from community.forum.models import (
    CategoryKind,
    ForumCategory,
    ForumFlag,
    ForumModerationLog,
    ForumPost,
    ForumPostRevision,
    ForumTopic,
    ForumTopicRead,
    ForumVote,
    ForumWatch,
    TopicKind,
    WatchLevel,
)
from community.jobs.models import Job, JobStatus
from community.leaderboards.models import PendingProjection
from community.mentoring.models import CheckInNote, MentorOffer, MentorReward, Pairing
from community.notifications.models import Notification
from community.payouts.models import Payout
from community.perks.models import Perk, Redemption
from community.pipeline import Stage
from community.points.models import PointEntry
from community.program.models import ProgramRules
from community.referrals.models import Candidate, InterviewFeedback, Referral, ReferralEvent
from community.sharing.models import CalendarFeed, SharingRsvp, SharingSession
from community.thanks.models import ThanksPost, ThanksReaction, ThanksWinner

__all__ = [
    "ClubMember",
    "MemberSource",
    "BadgeSettings",
    "Level",
    "UserBadge",
    "Candidate",
    "Challenge",
    "ChallengeAward",
    "ChallengeChange",
    "ChallengeCredit",
    "ChallengeEntrant",
    "ChallengePrize",
    "CategoryKind",
    "Department",
    "ForumCategory",
    "ForumFlag",
    "ForumModerationLog",
    "ForumPost",
    "ForumPostRevision",
    "ForumTopic",
    "ForumTopicRead",
    "ForumVote",
    "ForumWatch",
    "TopicKind",
    "WatchLevel",
    "InterviewFeedback",
    "Job",
    "JobStatus",
    "CheckInNote",
    "MentorOffer",
    "MentorReward",
    "Notification",
    "Pairing",
    "PasswordToken",
    "PendingProjection",
    "PointEntry",
    "Payout",
    "Perk",
    "ProgramRules",
    "Referral",
    "Redemption",
    "ReferralEvent",
    "Role",
    "CalendarFeed",
    "SharingRsvp",
    "SharingSession",
    "Stage",
    "ThanksPost",
    "ThanksReaction",
    "ThanksWinner",
    "User",
]
