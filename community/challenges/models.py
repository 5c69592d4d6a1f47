"""A challenge, its prizes, who competes, what each ledger entry credited it, what it awarded,
and the log of every change.

The ledger stays the truth: a `ChallengeCredit` names the ledger entry it counts (one per
challenge and entry), and `ChallengeEntrant` keeps the running tally of a person's credits under
a row lock (the challenge's own SQL standing, frozen into `final_*` when the challenge ends). The
`challenge:<id>` board in Redis is projected from the same credits.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage


class ChallengeStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    LIVE = "live"
    SETTLING = "settling"
    FINAL = "final"
    CANCELLED = "cancelled"


# Approved and not cancelled: the states in which referral events earn credit.
COUNTING = (ChallengeStatus.SCHEDULED, ChallengeStatus.LIVE, ChallengeStatus.SETTLING)
# Before going live every field may change; after it only the end and the prizes.
EDITABLE = (ChallengeStatus.DRAFT, ChallengeStatus.AWAITING_APPROVAL, ChallengeStatus.SCHEDULED)


class Metric(enum.StrEnum):
    POINTS = "points"  # points earned from referral events (and the challenge's own bonus)
    SCREENED = "screened"  # referrals HR accepted into the pipeline (passed first screening)
    INTERVIEWS = "interviews"  # referrals that reached an interview
    HIRES = "hires"
    QUALITY = "quality"  # interviews per referral, in thousandths, from a minimum count


# The stage a counting metric counts (one per referral: a stage's points are earned once).
METRIC_STAGE: dict[Metric, Stage] = {
    Metric.SCREENED: Stage.SUBMITTED,  # its points are earned when HR accepts the referral
    Metric.INTERVIEWS: Stage.INTERVIEWING,
    Metric.HIRES: Stage.HIRED,
}


class PeopleScope(enum.StrEnum):
    COMPANY = "company"
    DEPARTMENTS = "departments"
    TEAM = "team"  # the host's direct reports


class TeamMode(enum.StrEnum):
    NONE = "none"
    TOTAL = "total"  # department against department by their members' total
    PER_HEAD = "per_head"  # … by the total divided by the people in scope


class PrizeKind(enum.StrEnum):
    RANK = "rank"  # ranks rank_from … rank_to (1st; 2nd; top 10 = 1 … 10)
    THRESHOLD = "threshold"  # everyone whose final score reaches `threshold`


class Challenge(db.Model):
    """A time-boxed referral challenge a manager or HR hosts. Times are naive UTC; the window is
    [starts_at, ends_at); events of referrals submitted in it count until ends_at plus
    `settlement_days`."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ChallengeStatus] = mapped_column(
        enum_column(ChallengeStatus), default=ChallengeStatus.DRAFT, index=True
    )
    people_scope: Mapped[PeopleScope] = mapped_column(
        enum_column(PeopleScope), default=PeopleScope.COMPANY
    )
    department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Referrals to these jobs / job families only (empty: every job).
    job_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    job_families: Mapped[list[str]] = mapped_column(JSON, default=list)
    metric: Mapped[Metric] = mapped_column(enum_column(Metric), default=Metric.POINTS)
    quality_min_referrals: Mapped[int] = mapped_column(default=3)
    team_mode: Mapped[TeamMode] = mapped_column(enum_column(TeamMode), default=TeamMode.NONE)
    # 100 = no bonus; 200 = the stage points once more, as the challenge's own ledger entry.
    multiplier_percent: Mapped[int] = mapped_column(default=100)
    multiplier_job_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    settlement_days: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    # When the worker saw each moment (the notices it sent hang on these, once each).
    live_at: Mapped[datetime | None]
    closing_notice_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    finalized_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    host: Mapped[User] = relationship(foreign_keys=[host_id])
    prizes: Mapped[list[ChallengePrize]] = relationship(
        back_populates="challenge", order_by="ChallengePrize.id", cascade="all, delete-orphan"
    )

    @property
    def settles_at(self) -> datetime:
        """When attribution closes and the standings freeze."""
        return self.ends_at + timedelta(days=self.settlement_days)

    @property
    def scope(self) -> str:
        """Its board's scope (`leaderboards`)."""
        return f"challenge:{self.id}"


class ChallengePrize(db.Model):
    """A prize tier: points, a perk voucher, the challenge-winner badge and a public thanks."""

    __tablename__ = "challenge_prizes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    kind: Mapped[PrizeKind] = mapped_column(enum_column(PrizeKind), default=PrizeKind.RANK)
    rank_from: Mapped[int | None]
    rank_to: Mapped[int | None]
    threshold: Mapped[int | None]
    points: Mapped[int] = mapped_column(default=0)
    perk_id: Mapped[int | None] = mapped_column(ForeignKey("perks.id"))
    badge: Mapped[bool] = mapped_column(default=False)
    thanks: Mapped[bool] = mapped_column(default=False)
    added_after_start: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="prizes")


class ChallengeEntrant(db.Model):
    """A person who has credit in a challenge: the running tally of their credits (locked while
    a credit is added, so two at once add up), when it last changed (ties go to whoever reached
    the score first), and the frozen result."""

    __tablename__ = "challenge_entrants"
    __table_args__ = (
        UniqueConstraint("challenge_id", "user_id"),
        Index("ix_challenge_entrants_standing", "challenge_id", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    score: Mapped[int] = mapped_column(default=0)
    reached_at: Mapped[datetime | None]
    referrals: Mapped[int] = mapped_column(default=0)  # for the quality metric
    interviews: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime | None]  # said "count me in" before earning anything
    top_three_at: Mapped[datetime | None]
    disqualified_at: Mapped[datetime | None]
    disqualified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disqualify_reason: Mapped[str | None] = mapped_column(Text)
    final_score: Mapped[int | None]
    final_rank: Mapped[int | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ChallengeCredit(db.Model):
    """What one ledger entry counted in one challenge (`units` in the challenge's metric; 0 when
    a cap kept it out), written with the entry."""

    __tablename__ = "challenge_credits"
    __table_args__ = (UniqueConstraint("challenge_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    units: Mapped[int] = mapped_column(default=0)
    bonus: Mapped[bool] = mapped_column(default=False)  # the challenge's own multiplier entry
    capped: Mapped[bool] = mapped_column(default=False)
    after_final: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]  # the entry's time (the board's tie-break)


class ChallengeAward(db.Model):
    """One prize tier won by one person: written once (the unique key), with its ledger entry."""

    __tablename__ = "challenge_awards"
    __table_args__ = (UniqueConstraint("prize_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    prize_id: Mapped[int] = mapped_column(ForeignKey("challenge_prizes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rank: Mapped[int | None]
    points: Mapped[int] = mapped_column(default=0)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    prize: Mapped[ChallengePrize] = relationship()


class ChangeKind(enum.StrEnum):
    CREATED = "created"
    EDITED = "edited"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    LIVE = "live"
    EXTENDED = "extended"
    PRIZE_ADDED = "prize_added"
    PRIZE_REMOVED = "prize_removed"
    ENDED = "ended"
    FINAL = "final"
    CANCELLED = "cancelled"
    DISQUALIFIED = "disqualified"
    REINSTATED = "reinstated"


class ChallengeChange(db.Model):
    """The log every participant can read: who changed what, when (the clock's own moves have
    no actor)."""

    __tablename__ = "challenge_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
