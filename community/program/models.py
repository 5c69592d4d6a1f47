"""Program rules (内推规则). Each save is a new version; referrals remember the version they met."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, true
from sqlalchemy.orm import Mapped, mapped_column

from community.core.time import utcnow
from community.extensions import db

DEFAULT_PROBATION_MONTHS = 3
DEFAULT_BONUS_SPLIT = {"hired": 30, "probation_passed": 70}
DEFAULT_STAGE_POINTS = {
    "submitted": 10,
    "screening": 0,
    "interviewing": 30,
    "offer": 50,
    "hired": 100,
    "probation_passed": 150,
}


class ProgramRules(db.Model):
    __tablename__ = "program_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    all_departments_eligible: Mapped[bool] = mapped_column(default=True)
    eligible_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    ownership_window_days: Mapped[int] = mapped_column(default=180)
    # Percent of a job's bonus paid when the referral reaches each stage; sums to 100.
    bonus_split: Mapped[dict[str, int]] = mapped_column(
        JSON, default=lambda: dict(DEFAULT_BONUS_SPLIT)
    )
    stage_points: Mapped[dict[str, int]] = mapped_column(
        JSON, default=lambda: dict(DEFAULT_STAGE_POINTS)
    )
    # Points for a hard-to-fill job are multiplied by this whole percent (150 = ×1.5, rounded down).
    hard_to_fill_multiplier_percent: Mapped[int] = mapped_column(default=150, server_default="150")
    review_sla_days: Mapped[int] = mapped_column(default=3)
    # How long a new hire's probation lasts: the share "after probation" falls due this many
    # calendar months after the start date.
    probation_months: Mapped[int] = mapped_column(
        default=DEFAULT_PROBATION_MONTHS, server_default=str(DEFAULT_PROBATION_MONTHS)
    )
    exclude_hr_from_bonus: Mapped[bool] = mapped_column(default=True)
    exclude_hiring_manager_from_bonus: Mapped[bool] = mapped_column(default=True)
    # A job's hiring manager may add interview feedback notes that HR reads on the referral.
    hiring_managers_give_interview_feedback: Mapped[bool] = mapped_column(
        default=True, server_default=true()
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def is_department_eligible(self, department_id: int | None) -> bool:
        return self.all_departments_eligible or (
            department_id in (self.eligible_department_ids or [])
        )
