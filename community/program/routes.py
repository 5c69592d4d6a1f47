"""Program rules: published to everyone, edited by HR."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from community.accounts.queries import departments
from community.core.htmx import render
from community.core.localized import localized
from community.core.permissions import hr_required
from community.pipeline import PIPELINE
from community.program.forms import RulesForm, stage_labels
from community.program.models import ProgramRules
from community.program.queries import current_rules, eligible_departments
from community.program.services import PAYING_STAGES, RulesError, save_rules

bp = Blueprint("program", __name__, url_prefix="/program")


def _ordered_split(rules: ProgramRules) -> list[tuple[str, int]]:
    order = [stage.value for stage in PIPELINE]
    return sorted(
        ((stage, pct) for stage, pct in (rules.bonus_split or {}).items() if pct),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )


@bp.get("/rules")
def rules() -> Response:
    current = current_rules()
    return render(
        "program/rules.html",
        rules=current,
        departments=eligible_departments(current),
        split=_ordered_split(current),
        stages=[stage.value for stage in PIPELINE],
        stage_labels=stage_labels(),
    )


def _prefill(form: RulesForm, rules: ProgramRules) -> None:
    form.scope.data = "all" if rules.all_departments_eligible else "chosen"
    form.eligible_department_ids.data = list(rules.eligible_department_ids or [])
    form.ownership_window_days.data = rules.ownership_window_days
    form.review_sla_days.data = rules.review_sla_days
    form.hard_to_fill_multiplier_percent.data = rules.hard_to_fill_multiplier_percent
    form.probation_months.data = rules.probation_months
    form.exclude_hr_from_bonus.data = rules.exclude_hr_from_bonus
    form.exclude_hiring_manager_from_bonus.data = rules.exclude_hiring_manager_from_bonus
    form.hiring_managers_give_interview_feedback.data = (
        rules.hiring_managers_give_interview_feedback
    )
    for stage, field in form.split_fields():
        field.data = (rules.bonus_split or {}).get(stage, 0)
    for stage, field in form.points_fields():
        field.data = (rules.stage_points or {}).get(stage, 0)


@bp.route("/rules/edit", methods=["GET", "POST"])
@hr_required
def edit_rules() -> Response:
    form = RulesForm()
    form.eligible_department_ids.choices = [
        SelectChoice(str(d.id), localized(d, "name")) for d in departments()
    ]
    split_error = points_error = None
    if request.method == "GET":
        _prefill(form, current_rules())
    elif form.validate_on_submit():
        try:
            save_rules(
                current_user,
                all_departments_eligible=form.scope.data != "chosen",
                eligible_department_ids=form.eligible_department_ids.data or [],
                ownership_window_days=form.ownership_window_days.data,
                bonus_split=form.bonus_split(),
                stage_points=form.stage_points(),
                review_sla_days=form.review_sla_days.data,
                exclude_hr_from_bonus=form.exclude_hr_from_bonus.data,
                exclude_hiring_manager_from_bonus=form.exclude_hiring_manager_from_bonus.data,
                hard_to_fill_multiplier_percent=form.hard_to_fill_multiplier_percent.data,
                hiring_managers_give_interview_feedback=(
                    form.hiring_managers_give_interview_feedback.data
                ),
                probation_months=form.probation_months.data,
            )
        except RulesError as exc:
            split_error = exc.errors.pop("bonus_split", None)
            points_error = exc.errors.pop("stage_points", None)
            for name, message in exc.errors.items():
                form[name].errors = [*form[name].errors, message]
        else:
            flash(_("The program rules are updated and published to every employee."), "success")
            return redirect(url_for("program.rules"))
    status = 422 if request.method == "POST" else 200
    return render(
        "program/edit_rules.html",
        form=form,
        split_error=split_error,
        points_error=points_error,
        paying_stages=[stage.value for stage in PAYING_STAGES],
        stage_labels=stage_labels(),
        status=status,
    )
