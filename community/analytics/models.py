"""The analytics rollups' tables: derived from the rooms' own tables by the worker
(`analytics.rollups`), never written by anything else, and rebuilt from scratch by
`flask analytics rebuild`. Losing them loses nothing: they are copies, kept for speed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.enums import enum_column
from community.extensions import db
from community.jobs.models import JobFamily
from community.pipeline import Stage
from community.points.models import PointKind
from community.referrals.models import ReferralSource

# The forward path's steps as `ReferralFacts.reached` numbers them.
REACHED: dict[Stage, int] = {
    Stage.SUBMITTED: 0,
    Stage.SCREENING: 1,
    Stage.INTERVIEWING: 2,
    Stage.OFFER: 3,
    Stage.HIRED: 4,
    Stage.PROBATION_PASSED: 5,
}


class ReferralFacts(db.Model):
    """One row per referral: its dimensions and when it reached each stage (None: not reached).

    The department and family are the job's (the hiring department), copied here so the
    dashboard filters without a join; a job edit refreshes them (the jobs watermark).
    `submitted_on` and `hired_on` are company-zone dates: periods and cohorts are counted in
    the company's calendar. `first_review_due_at` is the first-review deadline the referral
    met at submission (its rules' SLA), `first_reviewed_at` its first move out of submitted.
    """

    __tablename__ = "analytics_referral_facts"
    __table_args__ = (
        Index("ix_analytics_facts_submitted_on", "submitted_on"),
        Index("ix_analytics_facts_submitted_at", "submitted_at"),  # challenge windows
        # Covers the company-wide cohort counts: read from the index alone, never the rows.
        Index(
            "ix_analytics_facts_cohort",
            "submitted_on",
            "reached",
            "department_id",
            "family",
            "source",
            "job_id",
            "start_date",
        ),
        Index("ix_analytics_facts_department_submitted", "department_id", "submitted_on"),
        Index("ix_analytics_facts_job_submitted", "job_id", "submitted_on"),
        Index("ix_analytics_facts_referrer_submitted", "referrer_id", "submitted_on"),
        Index("ix_analytics_facts_hired_on", "hired_on"),
    )

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # Plain ids, no foreign keys: a copy must never stand in the way of its source's changes.
    referrer_id: Mapped[int]
    job_id: Mapped[int]
    department_id: Mapped[int]
    family: Mapped[JobFamily] = mapped_column(enum_column(JobFamily))
    source: Mapped[ReferralSource] = mapped_column(enum_column(ReferralSource))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    submitted_at: Mapped[datetime]
    submitted_on: Mapped[date]
    screening_at: Mapped[datetime | None]
    interviewing_at: Mapped[datetime | None]
    offer_at: Mapped[datetime | None]
    hired_at: Mapped[datetime | None]
    hired_on: Mapped[date | None]
    probation_passed_at: Mapped[datetime | None]
    # Rejected or withdrawn: when, which, and the reason code (declined_offer among them).
    closed_at: Mapped[datetime | None]
    closed_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    close_reason: Mapped[str | None] = mapped_column(String(32))
    start_date: Mapped[date | None]
    left_company_on: Mapped[date | None]
    first_review_due_at: Mapped[datetime | None]
    first_reviewed_at: Mapped[datetime | None]
    # How far along the forward path it got (`REACHED`: 0 submitted … 5 probation passed).
    reached: Mapped[int] = mapped_column(default=0)
    # Whole seconds spent in each stage it left (None: skipped, or still in it), and to hire.
    in_submitted_s: Mapped[int | None]
    in_screening_s: Mapped[int | None]
    in_interviewing_s: Mapped[int | None]
    in_offer_s: Mapped[int | None]
    in_hired_s: Mapped[int | None]
    to_hire_s: Mapped[int | None]


class PointsDaily(db.Model):
    """The points ledger summed per company-zone day, kind and the entry's department: issued
    (earned and adjustments) and spent (perks) by day without reading a million entries."""

    __tablename__ = "analytics_points_daily"
    __table_args__ = (Index("ix_analytics_points_daily_day", "day", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    kind: Mapped[PointKind] = mapped_column(enum_column(PointKind))
    department_id: Mapped[int | None]
    total: Mapped[int]
    entries: Mapped[int]


class RollupMark(db.Model):
    """How far one rollup has read its source (`last_id`, `last_time`) and when the worker last
    brought it up to date (`as_of`)."""

    __tablename__ = "analytics_rollup_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    last_time: Mapped[datetime | None]
    as_of: Mapped[datetime | None]
