"""Jobs and their profiles (岗位画像)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import Department, User
from community.core.enums import enum_column
from community.core.localized import localized_list
from community.core.money import Money
from community.core.time import utcnow
from community.extensions import db


class JobStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class JobFamily(enum.StrEnum):
    ENGINEERING = "engineering"
    PRODUCT = "product"
    DESIGN = "design"
    MARKETING = "marketing"
    SALES = "sales"
    OPERATIONS = "operations"
    FINANCE = "finance"
    PEOPLE = "people"
    OTHER = "other"


class Education(enum.StrEnum):
    NONE = "none"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class Job(db.Model):
    """A job and its profile, in two languages: each text's base column holds the Chinese wording
    (or the only one) and `<field>_en` the English; lists are aligned line by line and their base
    items are the keys referrals assess against (`community.core.localized`)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    title_en: Mapped[str | None] = mapped_column(String(160))
    family: Mapped[JobFamily] = mapped_column(enum_column(JobFamily), default=JobFamily.OTHER)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    location: Mapped[str] = mapped_column(String(120))
    location_en: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Profile: lists of short strings, and their English line by line.
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    education: Mapped[Education] = mapped_column(enum_column(Education), default=Education.NONE)
    min_years: Mapped[int] = mapped_column(default=0)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificates_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    soft_traits: Mapped[list[str]] = mapped_column(JSON, default=list)
    soft_traits_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    challenges: Mapped[str] = mapped_column(Text, default="")
    challenges_en: Mapped[str] = mapped_column(Text, default="")
    # What the interviews look at most (the seed's "面试官会重点考察XX"): the follow-up coach
    # turns it into interview tips a referrer passes on to a candidate who goes forward.
    interview_focus: Mapped[str] = mapped_column(Text, default="")
    interview_focus_en: Mapped[str] = mapped_column(Text, default="")
    bonus_minor: Mapped[int] = mapped_column(default=0)
    bonus_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    hard_to_fill: Mapped[bool] = mapped_column(default=False, index=True)
    hiring_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus), default=JobStatus.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    department: Mapped[Department] = relationship()
    hiring_manager: Mapped[User | None] = relationship(foreign_keys=[hiring_manager_id])

    @property
    def bonus(self) -> Money:
        return Money(self.bonus_minor, self.bonus_currency)

    @property
    def is_open(self) -> bool:
        return self.status == JobStatus.OPEN

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.title}>"


class RequirementKind(enum.StrEnum):
    EDUCATION = "education"
    YEARS = "years"
    SKILL = "skill"
    CERTIFICATE = "certificate"


class HardRequirement:
    """One checkable hard requirement of a job, with a stable key used in referral assessments
    and `shown`, its value in the reader's language (a skill's English, for an English reader)."""

    __slots__ = ("kind", "shown", "value")

    def __init__(self, kind: RequirementKind, value: str, shown: str | None = None) -> None:
        self.kind = kind
        self.value = value
        self.shown = value if shown is None else shown

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.value}"


def hard_requirements(job: Job) -> list[HardRequirement]:
    """The job's hard requirements in the order the referral form asks about them."""
    items: list[HardRequirement] = []
    if job.education != Education.NONE:
        items.append(HardRequirement(RequirementKind.EDUCATION, job.education.value))
    if job.min_years:
        items.append(HardRequirement(RequirementKind.YEARS, str(job.min_years)))
    for kind, field in (
        (RequirementKind.SKILL, "skills"),
        (RequirementKind.CERTIFICATE, "certificates"),
    ):
        keys = getattr(job, field) or []
        shown = localized_list(job, field)
        items += [HardRequirement(kind, k, t) for k, t in zip(keys, shown, strict=True)]
    return items
