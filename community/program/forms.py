"""The program rules form."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from community.pipeline import PIPELINE, STAGE_LABELS
from community.program.services import (
    HARD_TO_FILL_MULTIPLIER_RANGE,
    PAYING_STAGES,
    PROBATION_MONTHS_RANGE,
)


def stage_labels() -> dict[str, LazyString]:
    """Names of the pipeline stages keyed by value, for the rules page and form."""
    return {stage.value: STAGE_LABELS[stage] for stage in PIPELINE}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RulesForm(FlaskForm):
    scope = RadioField(
        _l("Who may refer"),
        choices=[
            SelectChoice("all", _l("Everyone, in every department")),
            SelectChoice("chosen", _l("Only the departments chosen below")),
        ],
        default="all",
    )
    eligible_department_ids = MultiCheckboxField(
        _l("Eligible departments"), coerce=int, validate_choice=False
    )
    ownership_window_days = IntegerField(
        _l("Ownership window (days)"),
        validators=[
            InputRequired(_l("Enter the ownership window in days.")),
            NumberRange(min=1, max=730, message=_l("Enter a number of days from 1 to 730.")),
        ],
        description=_l(
            "How long the first referrer owns a candidate. Later referrals of the same person are declined."
        ),
    )
    review_sla_days = IntegerField(
        _l("Review promise (working days)"),
        validators=[
            InputRequired(_l("Enter the review promise in working days.")),
            NumberRange(min=1, max=30, message=_l("Enter a number of working days from 1 to 30.")),
        ],
        description=_l("HR reviews every new referral within this many working days."),
    )
    hard_to_fill_multiplier_percent = IntegerField(
        _l("Hard-to-fill multiplier (%)"),
        validators=[
            InputRequired(_l("Enter the hard-to-fill multiplier as a percent.")),
            NumberRange(
                min=HARD_TO_FILL_MULTIPLIER_RANGE[0],
                max=HARD_TO_FILL_MULTIPLIER_RANGE[1],
                message=_l("Enter a percent from 100 to 500."),
            ),
        ],
        description=_l(
            "Stage points for a hard-to-fill job are multiplied by this percent: 150 means ×1.5."
        ),
    )
    probation_months = IntegerField(
        _l("Probation (months)"),
        validators=[
            Optional(),
            NumberRange(
                min=PROBATION_MONTHS_RANGE[0],
                max=PROBATION_MONTHS_RANGE[1],
                message=_l("Enter a number of months from 1 to 12."),
            ),
        ],
        description=_l(
            "The share paid after probation falls due this many months after the hire's start date."
        ),
    )
    exclude_hr_from_bonus = BooleanField(_l("HR staff do not earn referral bonuses"))
    exclude_hiring_manager_from_bonus = BooleanField(
        _l("Hiring managers do not earn a bonus for referrals to their own job")
    )
    hiring_managers_give_interview_feedback = BooleanField(
        _l("Hiring managers may add interview feedback"),
        description=_l(
            "A job's hiring manager follows its referrals read-only and may add notes from the "
            "interviews for HR. They never move a referral."
        ),
    )

    def split_fields(self) -> list[tuple[str, IntegerField]]:
        return [(stage.value, self[f"split_{stage.value}"]) for stage in PAYING_STAGES]

    def points_fields(self) -> list[tuple[str, IntegerField]]:
        return [(stage.value, self[f"points_{stage.value}"]) for stage in PIPELINE]

    def bonus_split(self) -> dict[str, int]:
        return {stage: field.data or 0 for stage, field in self.split_fields()}

    def stage_points(self) -> dict[str, int]:
        return {stage: field.data or 0 for stage, field in self.points_fields()}


for _stage in PAYING_STAGES:
    setattr(
        RulesForm,
        f"split_{_stage.value}",
        IntegerField(
            stage_labels()[_stage.value],
            validators=[
                Optional(),
                NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100.")),
            ],
            default=0,
        ),
    )
for _stage in PIPELINE:
    setattr(
        RulesForm,
        f"points_{_stage.value}",
        IntegerField(
            stage_labels()[_stage.value],
            validators=[
                Optional(),
                NumberRange(min=0, max=10_000, message=_l("Enter points from 0 to 10000.")),
            ],
            default=0,
        ),
    )
