"""Imports every domain's models so SQLAlchemy metadata and Alembic see all tables."""

import community.analytics.models  # noqa: F401  (the rollups)
from community.accounts.models import Department, PasswordToken, Role, User
from community.api.models import ApiToken
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
from community.credentials.models import IssuedCredential, IssuerKey
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
from community.invites.models import (
    Invitation,
    InvitationTally,
    InviteSuppression,
    TextMessage,
)
from community.jobs.models import Job, JobStatus
from community.leaderboards.models import PendingProjection
from community.links.models import PersonalLink, ReferralCode
from community.mail.models import OutboundEmail, SentDigest
from community.mentoring.models import CheckInNote, MentorOffer, MentorReward, Pairing
from community.network.models import NetworkContact, NetworkTag, OutreachSketch, SuggestionScan
from community.notifications.models import Notification, NotificationPreference
from community.payouts.models import Payout
from community.perks.models import Perk, Redemption
from community.pipeline import Stage
from community.points.models import PointEntry
from community.program.models import ProgramRules
from community.referrals.models import Candidate, InterviewFeedback, Referral, ReferralEvent
from community.search.models import SearchDocument
from community.sharing.models import CalendarFeed, SharingRsvp, SharingSession
from community.teamchat.models import ChatDelivery, ChatRobot
from community.thanks.models import ThanksPost, ThanksReaction, ThanksWinner
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Delivery,
    DeliveryAttempt,
    Endpoint,
    ReceivedEvent,
    SourceSecret,
    StageMapping,
)

__all__ = [
    "ApplicationLink",
    "AtsSource",
    "Delivery",
    "DeliveryAttempt",
    "Endpoint",
    "ReceivedEvent",
    "SourceSecret",
    "StageMapping",
    "ApiToken",
    "BadgeSettings",
    "Candidate",
    "CategoryKind",
    "Challenge",
    "ChallengeAward",
    "ChallengeChange",
    "ChallengeCredit",
    "ChallengeEntrant",
    "ChallengePrize",
    "ChatDelivery",
    "ChatRobot",
    "ClubMember",
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
    "InterviewFeedback",
    "Invitation",
    "InvitationTally",
    "InviteSuppression",
    "Job",
    "JobStatus",
    "CheckInNote",
    "MentorOffer",
    "MentorReward",
    "Level",
    "MemberSource",
    "NetworkContact",
    "NetworkTag",
    "Notification",
    "OutreachSketch",
    "NotificationPreference",
    "OutboundEmail",
    "Pairing",
    "PersonalLink",
    "PasswordToken",
    "Payout",
    "PendingProjection",
    "Perk",
    "PointEntry",
    "ProgramRules",
    "IssuedCredential",
    "IssuerKey",
    "Redemption",
    "Referral",
    "ReferralCode",
    "ReferralEvent",
    "Role",
    "CalendarFeed",
    "SharingRsvp",
    "SharingSession",
    "SearchDocument",
    "SentDigest",
    "Stage",
    "SuggestionScan",
    "ThanksPost",
    "ThanksReaction",
    "ThanksWinner",
    "TextMessage",
    "TopicKind",
    "User",
    "UserBadge",
    "WatchLevel",
]
