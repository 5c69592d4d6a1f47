"""Jobs: employees browse open jobs and read profiles; HR creates, edits, opens and closes them."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from community.accounts.queries import departments
from community.core.htmx import is_fragment_request, render, toast
from community.core.localized import localized
from community.core.params import int_arg, page_arg
from community.core.permissions import hr_required
from community.extensions import db
from community.jobs import labels
from community.jobs.forms import JobForm
from community.jobs.models import Job, JobStatus, hard_requirements
from community.jobs.queries import (
    MANAGED_JOB_SORTING,
    OPEN_JOB_SORTING,
    JobFilters,
    ManagedJobFilters,
    eligible_hiring_managers,
    get_job_for,
    job_counts_by_status,
    jobs_for_management,
    open_job_facets,
    search_open_jobs,
    strong_referral_points,
)
from community.jobs.services import (
    JobError,
    close_job,
    create_job,
    job_field_errors,
    open_job,
    update_job,
)
from community.program.forms import stage_labels
from community.program.queries import bonus_instalments, current_rules

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.app_context_processor
def _job_labels() -> dict[str, object]:
    return dict(labels.TEMPLATE_GLOBALS)


def _filters_from_request() -> JobFilters:
    args = request.args
    return JobFilters(
        q=" ".join(args.get("q", "").split())[:100],
        department_id=int_arg("department"),
        location=args.get("location", "").strip()[:120],
        hard_to_fill=args.get("hard_to_fill") in ("1", "on", "true", "y"),
    )


@bp.get("/")
def index() -> Response:
    filters = _filters_from_request()
    sort = OPEN_JOB_SORTING.parse(request.args)
    page = page_arg()
    departments, locations = open_job_facets()
    return render(
        "jobs/index.html",
        block="results",
        filters=filters,
        sort=sort,
        pagination=search_open_jobs(filters, page=page, sort=sort),
        departments=departments,
        locations=locations,
    )


@bp.get("/<int:job_id>")
def detail(job_id: int) -> Response:
    job = get_job_for(current_user, job_id)
    rules = current_rules()
    user_department = current_user.department_id
    return render(
        "jobs/detail.html",
        job=job,
        rules=rules,
        requirements=hard_requirements(job),
        strong_referral=strong_referral_points(job),
        instalments=bonus_instalments(rules, job.bonus),
        stage_labels=stage_labels(),
        department_eligible=rules.is_department_eligible(user_department),
        excluded_as_hr=rules.exclude_hr_from_bonus and current_user.is_hr,
        excluded_as_manager=rules.exclude_hiring_manager_from_bonus
        and job.hiring_manager_id == current_user.id,
    )


# HR ------------------------------------------------------------------------------------------


def _manage_filters() -> ManagedJobFilters:
    """HR's jobs list filters, from the query string (a list action carries them there too)."""
    try:
        status = JobStatus(request.args.get("status") or request.form.get("status_filter") or "")
    except ValueError:
        status = None
    return ManagedJobFilters(
        status=status,
        department_id=int_arg("department"),
        q=" ".join(request.args.get("q", "").split())[:100],
    )


def _manage_context() -> dict[str, object]:
    filters = _manage_filters()
    sort = MANAGED_JOB_SORTING.parse(request.args)
    return {
        "pagination": jobs_for_management(
            filters, sort, page=page_arg(), per_page=current_app.config["ITEMS_PER_PAGE"]
        ),
        "counts": job_counts_by_status(),
        "filters": filters,
        "sort": sort,
        "departments": departments(),
    }


@bp.get("/manage")
@hr_required
def manage() -> Response:
    return render("jobs/manage.html", block="results", **_manage_context())


def _prepare(form: JobForm) -> JobForm:
    form.department_id.choices = [SelectChoice("", _("Choose a department"))] + [
        SelectChoice(str(d.id), localized(d, "name")) for d in departments()
    ]
    form.hiring_manager_id.choices = [SelectChoice("", _("Not assigned yet"))] + [
        SelectChoice(str(u.id), f"{u.name} · {u.email}") for u in eligible_hiring_managers()
    ]
    return form


def _attach_errors(form: JobForm, errors: dict[str, str]) -> None:
    """Show service errors under their fields (once: a field the form already flagged is skipped)."""
    for name, message in errors.items():
        if name in form and not form[name].errors:
            form[name].errors = [*form[name].errors, message]
        elif name not in form:
            flash(message, "danger")


def _report_all_errors(form: JobForm) -> None:
    """After the form itself failed, also show the domain's complaints (e.g. a bad bonus)."""
    if request.method == "POST":
        _attach_errors(form, job_field_errors(form.to_fields()))


@bp.route("/new", methods=["GET", "POST"])
@hr_required
def new() -> Response:
    form = _prepare(JobForm())
    if form.validate_on_submit():
        try:
            job = create_job(
                current_user, form.to_fields(), open_now=request.form.get("action") == "open"
            )
        except JobError as exc:
            _attach_errors(form, exc.errors)
        else:
            if job.is_open:
                flash(_("The job is open: employees can now refer people to it."), "success")
            else:
                flash(
                    _("The job is saved as a draft. Only HR can see it until you open it."),
                    "success",
                )
            return redirect(url_for("jobs.detail", job_id=job.id))
    else:
        _report_all_errors(form)
    status = 422 if request.method == "POST" else 200
    return render("jobs/form.html", form=form, job=None, status=status)


@bp.route("/<int:job_id>/edit", methods=["GET", "POST"])
@hr_required
def edit(job_id: int) -> Response:
    job = get_job_for(current_user, job_id)
    form = _prepare(JobForm())
    if request.method == "GET":
        form.fill_from(job)
    elif form.validate_on_submit():
        try:
            update_job(current_user, job, form.to_fields())
        except JobError as exc:
            db.session.rollback()
            _attach_errors(form, exc.errors)
        else:
            flash(_("Your changes to the job are saved."), "success")
            return redirect(url_for("jobs.detail", job_id=job.id))
    else:
        _report_all_errors(form)
    status = 422 if request.method == "POST" else 200
    return render("jobs/form.html", form=form, job=job, status=status)


def _after_status_change(job: Job, message: str, category: str = "success") -> Response:
    """htmx (from the manage list): re-render the list in place; plain form: go back."""
    if is_fragment_request():
        toast(message, category)
        return render(
            "jobs/manage.html",
            block="results",
            status=200 if category == "success" else 409,
            **_manage_context(),
        )
    flash(message, category)
    target = request.form.get("next")
    if target == "manage":
        filters = _manage_filters()
        sort = MANAGED_JOB_SORTING.parse(request.args)
        return redirect(
            url_for("jobs.manage", page=int_arg("page"), **sort.with_args(filters.as_args()))
        )
    return redirect(url_for("jobs.detail", job_id=job.id))


@bp.post("/<int:job_id>/open", endpoint="open")
@hr_required
def open_view(job_id: int) -> Response:
    job = get_job_for(current_user, job_id)
    open_job(current_user, job)
    return _after_status_change(
        job, _("%(title)s is open for referrals.", title=localized(job, "title"))
    )


@bp.post("/<int:job_id>/close", endpoint="close")
@hr_required
def close_view(job_id: int) -> Response:
    job = get_job_for(current_user, job_id)
    try:
        close_job(current_user, job)
    except JobError as exc:
        return _after_status_change(job, next(iter(exc.errors.values())), "danger")
    return _after_status_change(
        job, _("%(title)s is closed and no longer takes referrals.", title=localized(job, "title"))
    )
