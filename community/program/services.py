"""Writes for the program rules. Rules are versioned: every save inserts a new row."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from community import events
from community.accounts.models import Department, User
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db
from community.pipeline import PIPELINE, Stage
from community.program.models import DEFAULT_PROBATION_MONTHS, ProgramRules
from community.program.queries import current_rules

logger = logging.getLogger(__name__)

# Stages at which part of a referral bonus can be paid, in pipeline order.
PAYING_STAGES: tuple[Stage, ...] = (Stage.OFFER, Stage.HIRED, Stage.PROBATION_PASSED)
OWNERSHIP_WINDOW_RANGE = (1, 730)
REVIEW_SLA_RANGE = (1, 30)
MAX_STAGE_POINTS = 10_000
HARD_TO_FILL_MULTIPLIER_RANGE = (100, 500)  # whole percent: ×1 to ×5
PROBATION_MONTHS_RANGE = (1, 12)


class RulesError(ValueError):
    """The rules could not be saved; `errors` maps a field name to a message for the person."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# What a rules version says, field by field: a new version that differs in any of these is news
# for everyone (`events.ProgramRulesChanged`).
COMPARED_FIELDS = (
    "all_departments_eligible",
    "eligible_department_ids",
    "ownership_window_days",
    "review_sla_days",
    "bonus_split",
    "stage_points",
    "hard_to_fill_multiplier_percent",
    "probation_months",
    "exclude_hr_from_bonus",
    "exclude_hiring_manager_from_bonus",
    "hiring_managers_give_interview_feedback",
)


def rules_changes(before: ProgramRules, after: ProgramRules) -> tuple[tuple[str, Any, Any], ...]:
    """What differs between two versions of the rules, as (field, before, after)."""
    return tuple(
        (name, getattr(before, name), getattr(after, name))
        for name in COMPARED_FIELDS
        if getattr(before, name) != getattr(after, name)
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def save_rules(
    actor: User | None,
    *,
    all_departments_eligible: bool,
    eligible_department_ids: Iterable[int] = (),
    ownership_window_days: int,
    bonus_split: Mapping[str, int],
    stage_points: Mapping[str, int],
    review_sla_days: int,
    exclude_hr_from_bonus: bool = True,
    exclude_hiring_manager_from_bonus: bool = True,
    hard_to_fill_multiplier_percent: int | None = None,
    hiring_managers_give_interview_feedback: bool | None = None,
    probation_months: int | None = None,
) -> ProgramRules:
    """Publish a new version of the program rules; the previous versions stay for old referrals.

    `bonus_split` maps a paying stage (offer, hired, probation_passed) to a whole percent and must
    sum to exactly 100; zero entries are dropped. `stage_points` needs every pipeline stage.
    `hard_to_fill_multiplier_percent` multiplies stage points for hard-to-fill jobs (150 = ×1.5);
    None keeps the current rules' value, as it does for `hiring_managers_give_interview_feedback`
    (whether a job's hiring manager may add interview feedback to its referrals) and for
    `probation_months` (how long a new hire's probation lasts, which dates the share paid after
    probation).
    Raises RulesError listing every problem; nothing is written then. A version that differs
    from the one before publishes `events.ProgramRulesChanged` with what changed.
    """
    errors: dict[str, str] = {}

    department_ids = sorted({int(i) for i in eligible_department_ids or []})
    if all_departments_eligible:
        department_ids = []
    elif not department_ids:
        errors["eligible_department_ids"] = _(
            "Choose at least one department, or open the program to everyone."
        )
    else:
        known = set(
            db.session.scalars(select(Department.id).where(Department.id.in_(department_ids)))
        )
        if known != set(department_ids):
            errors["eligible_department_ids"] = _("One of the chosen departments no longer exists.")

    low, high = OWNERSHIP_WINDOW_RANGE
    if not _is_int(ownership_window_days) or not low <= ownership_window_days <= high:
        errors["ownership_window_days"] = ngettext(
            "The ownership window must be between %(low)s and %(num)s day.",
            "The ownership window must be between %(low)s and %(num)s days.",
            high,
            low=low,
        )
    low, high = REVIEW_SLA_RANGE
    if not _is_int(review_sla_days) or not low <= review_sla_days <= high:
        errors["review_sla_days"] = ngettext(
            "The review promise must be between %(low)s and %(num)s working day.",
            "The review promise must be between %(low)s and %(num)s working days.",
            high,
            low=low,
        )

    paying = {stage.value for stage in PAYING_STAGES}
    split: dict[str, int] = {}
    for stage, percent in (bonus_split or {}).items():
        if stage not in paying:
            errors["bonus_split"] = _("A bonus can only be paid at offer, hire or after probation.")
        elif not _is_int(percent) or percent < 0:
            errors["bonus_split"] = _("Each bonus share must be a whole, non-negative percentage.")
        elif percent:
            split[stage] = percent
    if "bonus_split" not in errors and sum(split.values()) != 100:
        errors["bonus_split"] = _(
            "The bonus shares must add up to exactly 100%% (they add up to %(total)s%%).",
            total=sum(split.values()),
        )

    points: dict[str, int] = {}
    for stage in PIPELINE:
        value = (stage_points or {}).get(stage.value, 0)
        if not _is_int(value) or not 0 <= value <= MAX_STAGE_POINTS:
            errors["stage_points"] = _(
                "Points for each stage must be a whole number from 0 to %(max)s.",
                max=MAX_STAGE_POINTS,
            )
        else:
            points[stage.value] = value

    if hard_to_fill_multiplier_percent is None:
        hard_to_fill_multiplier_percent = current_rules().hard_to_fill_multiplier_percent or 150
    low, high = HARD_TO_FILL_MULTIPLIER_RANGE
    if (
        not _is_int(hard_to_fill_multiplier_percent)
        or not low <= hard_to_fill_multiplier_percent <= high
    ):
        errors["hard_to_fill_multiplier_percent"] = _(
            "The hard-to-fill multiplier must be a whole percent from %(low)s to %(high)s.",
            low=low,
            high=high,
        )

    if probation_months is None:
        probation_months = current_rules().probation_months or DEFAULT_PROBATION_MONTHS
    low, high = PROBATION_MONTHS_RANGE
    if not _is_int(probation_months) or not low <= probation_months <= high:
        errors["probation_months"] = _(
            "Probation must last a whole number of months from %(low)s to %(high)s.",
            low=low,
            high=high,
        )

    if errors:
        raise RulesError(errors)
    if hiring_managers_give_interview_feedback is None:
        hiring_managers_give_interview_feedback = (
            current_rules().hiring_managers_give_interview_feedback
        )

    ordered_split = {s.value: split[s.value] for s in PAYING_STAGES if s.value in split}
    rules = ProgramRules(
        all_departments_eligible=bool(all_departments_eligible),
        eligible_department_ids=department_ids,
        ownership_window_days=ownership_window_days,
        bonus_split=ordered_split,
        stage_points=points,
        review_sla_days=review_sla_days,
        exclude_hr_from_bonus=bool(exclude_hr_from_bonus),
        exclude_hiring_manager_from_bonus=bool(exclude_hiring_manager_from_bonus),
        hard_to_fill_multiplier_percent=hard_to_fill_multiplier_percent,
        hiring_managers_give_interview_feedback=bool(hiring_managers_give_interview_feedback),
        probation_months=probation_months,
        created_by_id=actor.id if actor else None,
    )
    previous = current_rules()
    with committed():  # the new version and everything its news sets off, or nothing
        db.session.add(rules)
        db.session.flush()
        changes = rules_changes(previous, rules)
        if changes:
            events.publish(
                events.ProgramRulesChanged(
                    rules_id=rules.id,
                    previous_id=previous.id,
                    actor_id=actor.id if actor else None,
                    changes=changes,
                    at=rules.created_at or utcnow(),
                )
            )
    logger.info("program rules version %s saved by %s", rules.id, actor and actor.id)
    return rules
