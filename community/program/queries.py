"""Reading the program rules."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from community.accounts.models import Department
from community.core.money import Money
from community.extensions import db
from community.pipeline import PIPELINE
from community.program.models import DEFAULT_PROBATION_MONTHS, ProgramRules


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
            probation_months=DEFAULT_PROBATION_MONTHS,
            hard_to_fill_multiplier_percent=150,
            exclude_hr_from_bonus=True,
            exclude_hiring_manager_from_bonus=True,
            hiring_managers_give_interview_feedback=True,
        )
        from community.program.models import DEFAULT_BONUS_SPLIT, DEFAULT_STAGE_POINTS

        rules.bonus_split = dict(DEFAULT_BONUS_SPLIT)
        rules.stage_points = dict(DEFAULT_STAGE_POINTS)
    return rules


def rules_by_id(rules_id: int | None) -> ProgramRules:
    """The rules version `rules_id` (what a referral met when it was submitted); the current
    rules when there is none (very old referrals)."""
    found = db.session.get(ProgramRules, rules_id) if rules_id is not None else None
    return found or current_rules()


def probation_months(rules: ProgramRules) -> int:
    """How many months a new hire's probation lasts under `rules`."""
    return rules.probation_months or DEFAULT_PROBATION_MONTHS


def probation_ends_on(rules: ProgramRules, start_date: date) -> date:
    """The day probation ends for a hire who started on `start_date`: the same day of the month
    `probation_months` later (the month's last day when that month is shorter)."""
    months = start_date.month - 1 + probation_months(rules)
    year, month = start_date.year + months // 12, months % 12 + 1
    return date(year, month, min(start_date.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class BonusInstalment:
    """One part of a referral bonus: paid when the referral reaches `stage`."""

    stage: str
    percent: int
    amount: Money


def bonus_instalments(rules: ProgramRules, bonus: Money) -> list[BonusInstalment]:
    """Split `bonus` by the rules' percentages, in pipeline order, in exact minor units.

    Each part is rounded down and the last part takes the remainder, so the parts always add up to
    the whole bonus.
    """
    order = [stage.value for stage in PIPELINE]
    split = sorted(
        ((stage, pct) for stage, pct in (rules.bonus_split or {}).items() if pct),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    parts: list[BonusInstalment] = []
    paid = 0
    for index, (stage, percent) in enumerate(split):
        if index == len(split) - 1:
            minor = bonus.amount_minor - paid
        else:
            minor = bonus.amount_minor * percent // 100
        paid += minor
        parts.append(BonusInstalment(stage, percent, Money(minor, bonus.currency)))
    return parts


def eligible_departments(rules: ProgramRules) -> list[Department]:
    """The departments named in the rules (empty when every department is eligible)."""
    if rules.all_departments_eligible or not rules.eligible_department_ids:
        return []
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.id.in_(rules.eligible_department_ids))
            .order_by(Department.name)
        )
    )
