"""Candidates, referrals and the stage history of each referral."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from community.accounts.models import User
from community.core.emails import email_key, email_key_of_inserted_row
from community.core.enums import enum_column
from community.core.money import Money
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage
from community.program.models import ProgramRules


class Relationship(enum.StrEnum):
    CLOSE_FRIEND = "close_friend"
    FORMER_COLLEAGUE = "former_colleague"
    CLASSMATE = "classmate"
    INDUSTRY_CONTACT = "industry_contact"
    OTHER = "other"


class KnownFor(enum.StrEnum):
    UNDER_1 = "under_1"
    ONE_TO_3 = "1_3"
    THREE_TO_5 = "3_5"
    OVER_5 = "over_5"


class ReferralSource(enum.StrEnum):
    """How a referral reached the company: the referrer's form, the candidate applying through
    the referrer's personal link or referral code (内推码), or accepting the referrer's invite."""

    FORM = "form"
    LINK = "link"
    CODE = "code"
    INVITE = "invite"


class Assessment(enum.StrEnum):
    MEETS = "meets"
    NOT_SURE = "not_sure"
    DOES_NOT_MEET = "does_not_meet"


class Candidate(db.Model):
    """A person someone referred, or who applied through a referrer's link, code or invitation.
    Stored only with consent: confirmed by the referrer, or given by the candidate themselves."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    # The address's identity for duplicate checks (core.emails.email_key), kept with `email`.
    email_key: Mapped[str | None] = mapped_column(
        String(254), index=True, default=email_key_of_inserted_row
    )
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    current_employer: Mapped[str | None] = mapped_column(String(160))
    current_title: Mapped[str | None] = mapped_column(String(160))
    # The language the candidate used when they applied themselves (None when a referrer's
    # form named them): what to write to them in.
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("email")
    def _keep_email_key(self, _key: str, value: str | None) -> str | None:
        self.email_key = email_key(value)
        return value


class Referral(db.Model):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    rules_id: Mapped[int | None] = mapped_column(ForeignKey("program_rules.id"))
    relationship_kind: Mapped[Relationship] = mapped_column(enum_column(Relationship))
    known_for: Mapped[KnownFor] = mapped_column(enum_column(KnownFor))
    fit_reason: Mapped[str] = mapped_column(Text)
    hard_assessment: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    soft_ratings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    resume_file: Mapped[str | None] = mapped_column(String(64))
    resume_filename: Mapped[str | None] = mapped_column(String(255))
    resume_mimetype: Mapped[str | None] = mapped_column(String(120))
    resume_url: Mapped[str | None] = mapped_column(String(500))
    consent_confirmed_at: Mapped[datetime]
    source: Mapped[ReferralSource] = mapped_column(
        enum_column(ReferralSource), default=ReferralSource.FORM, server_default="form"
    )
    # The job's bonus as it stood at submission: later edits to the job do not change it.
    bonus_minor: Mapped[int] = mapped_column(default=0)
    bonus_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.SUBMITTED, index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_due_at: Mapped[datetime | None] = mapped_column(index=True)
    owned_until: Mapped[datetime]
    left_company_on: Mapped[date | None]
    # The hire's first working day, given by HR when confirming the hire: the bonus schedule
    # (the share at hire, the share after probation) is counted from it.
    start_date: Mapped[date | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    job: Mapped[Job] = relationship()
    referrer: Mapped[User] = relationship(foreign_keys=[referrer_id])
    candidate: Mapped[Candidate] = relationship()
    rules: Mapped[ProgramRules | None] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", cascade="all, delete-orphan"
    )

    @property
    def bonus(self) -> Money:
        return Money(self.bonus_minor, self.bonus_currency)

    @property
    def is_overdue(self) -> bool:
        return self.review_due_at is not None and self.review_due_at < utcnow()


class EventKind(enum.StrEnum):
    STAGE_CHANGE = "stage_change"
    LEFT_COMPANY = "left_company"


class ReferralEvent(db.Model):
    """One step in a referral's history. A forward stage can be reached once only (unique)."""

    __tablename__ = "referral_events"
    __table_args__ = (UniqueConstraint("referral_id", "to_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind), default=EventKind.STAGE_CHANGE)
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    to_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    internal_note: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    # Rejected / withdrawn: a code of `referrals.reasons` (shown to the referrer kindly) and
    # `reason`, the chooser's own words.
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class InterviewFeedback(db.Model):
    """A hiring manager's note on how the candidate did in their interviews, for HR to read on
    the referral. Neither the referrer nor the candidate sees it; it moves nothing."""

    __tablename__ = "interview_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship()
    author: Mapped[User] = relationship()
