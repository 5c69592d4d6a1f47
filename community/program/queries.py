"""Reading the program rules."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.program.models import ProgramRules


def current_rules() -> ProgramRules:
    """The newest rules version; the defaults (unsaved) when HR has never saved any."""
    rules = db.session.scalars(
        select(ProgramRules).order_by(ProgramRules.id.desc()).limit(1)
    ).first()
    if rules is None:
        rules = ProgramRules(
            all_departments_eligible=True,
            eligible_department_ids=[],
            ownership_window_days=180,
            review_sla_days=3,
            exclude_hr_from_bonus=True,
            exclude_hiring_manager_from_bonus=True,
        )
        from community.program.models import DEFAULT_BONUS_SPLIT, DEFAULT_STAGE_POINTS

        rules.bonus_split = dict(DEFAULT_BONUS_SPLIT)
        rules.stage_points = dict(DEFAULT_STAGE_POINTS)
    return rules
