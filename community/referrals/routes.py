"""Referral pages: submit, my referrals, one referral, resume download, HR's review queue and the
stage actions, the hiring manager's referrals to their jobs and their interview feedback.
Thin: parse → permission → service → render."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from community.accounts.queries import departments
from community.core.htmx import is_fragment_request, render, toast
from community.core.links import safe_redirect
from community.core.params import int_arg, page_arg
from community.core.permissions import hr_required, is_hr
from community.extensions import db
from community.jobs.models import Job, hard_requirements
from community.jobs.queries import get_job_for
from community.pipeline import PIPELINE, STAGE_LABELS, Stage, reasons
from community.program.queries import current_rules, probation_months
from community.referrals import queries, resumes, sections, services
from community.referrals.forms import (
    CONSENT_STATEMENT,
    InterviewFeedbackForm,
    LeftCompanyForm,
    StageActionForm,
    WithdrawForm,
    reason_choices,
    referral_form_for,
    validate_with_resume,
)
from community.referrals.labels import (
    APPLICANT_CONSENT_STATEMENT,
    APPLIED_NOTES,
    ASSESSMENT_LABELS,
    KNOWN_FOR_LABELS,
    RELATIONSHIP_LABELS,
    SOURCE_LABELS,
    requirement_label,
)
from community.referrals.models import Assessment, Referral
from community.referrals.permissions import (
    can_decide_on,
    can_see_referral_rewards,
    can_view_hiring_referrals,
    can_view_interview_feedback,
    can_withdraw_referral,
    is_referrer_of,
)

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


@bp.record_once
def _template_globals(state: Any) -> None:
    # Globals (not context) so that imported macros see them too.
    state.app.jinja_env.globals.update(
        STAGE_LABELS=STAGE_LABELS,
        RELATIONSHIP_LABELS=RELATIONSHIP_LABELS,
        KNOWN_FOR_LABELS=KNOWN_FOR_LABELS,
        ASSESSMENT_LABELS=ASSESSMENT_LABELS,
        SOURCE_LABELS=SOURCE_LABELS,
        APPLIED_NOTES=APPLIED_NOTES,
        APPLICANT_CONSENT_STATEMENT=APPLICANT_CONSENT_STATEMENT,
        SEARCH_MAX_LENGTH=queries.MAX_SEARCH_LENGTH,
        reason_kind_wording=reasons.kind_wording,
        reject_reason_choices=lambda: reason_choices(Stage.REJECTED),
        withdraw_reason_choices=lambda: reason_choices(Stage.WITHDRAWN),
    )


def _safe_back(target: str | None, default: str) -> str:
    """Only same-site paths are used as "back" targets."""
    return safe_redirect(target, default)


# Submission ---------------------------------------------------------------------------------


def _render_form(job: Job, form: Any, status: int = 200, **extra: Any) -> Response:
    return render(
        "referrals/new.html",
        status=status,
        job=job,
        form=form,
        consent_statement=CONSENT_STATEMENT,
        low_match=extra.pop("low_match", False),
        refusal=extra.pop("refusal", None),
        **extra,
    )


@bp.route("/new/<int:job_id>", methods=["GET", "POST"])
def new(job_id: int) -> Response:
    job = get_job_for(current_user, job_id)
    try:
        services.check_eligibility(current_user, job)
    except services.ReferralError as exc:
        return _render_form(job, None, status=exc.status, refusal=exc.message)

    form = referral_form_for(job)
    if request.method == "GET":
        return _render_form(job, form)

    choice, valid = validate_with_resume(form, current_user)
    if not valid:
        low = services.is_low_match(job, form.hard_assessment())
        return _render_form(
            job,
            form,
            status=422,
            low_match=low,
            kept=choice.kept,
            file_lost=choice.dropped_without_consent,
        )

    try:
        referral = services.submit_referral(
            current_user,
            job,
            form.submission(),
            kept_resume=choice.kept.token if choice.kept else None,
        )
    except services.ReferralError as exc:
        if exc.code == "low_match":
            return _render_form(
                job,
                form,
                status=422,
                low_match=True,
                low_match_message=exc.message,
                kept=choice.kept,
            )
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None and exc.field not in ("hard", "soft"):
            field.errors = [*field.errors, exc.message]
            refusal = None
        else:
            refusal = exc.message
        if exc.field == "resume":
            choice = services.ResumeChoice(None)  # the held file went meanwhile
            form.kept_resume.data = ""
        return _render_form(job, form, status=exc.status, refusal=refusal, kept=choice.kept)
    flash(
        _(
            "Thank you! Your referral of %(candidate)s is with HR. You will be notified at every step.",
            candidate=referral.candidate.name,
        ),
        "success",
    )
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.get("/new/<int:job_id>/match")
def match_check(job_id: int) -> Response:
    """Live "don't force a referral" hint while the referrer answers the hard requirements."""
    job = get_job_for(current_user, job_id)
    answers = {
        req.key: request.args.get(f"hard_{i}", "") for i, req in enumerate(hard_requirements(job))
    }
    return render(
        "referrals/_low_match.html",
        low_match=services.is_low_match(job, answers),
        confirmed=bool(request.args.get("confirm_low_match")),
        form=None,
    )


# The referrer's view ------------------------------------------------------------------------


@bp.get("/mine")
def mine() -> Response:
    status = request.args.get("status", "all")
    if status not in ("all", "active", "closed"):
        status = "all"
    page = db.paginate(
        queries.referrals_of(current_user, status),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render("referrals/mine.html", page=page, status_filter=status)


def _detail_context(referral: Referral, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "referral": referral,
        "pipeline": PIPELINE,
        "requirements": [
            (requirement_label(req), referral.hard_assessment.get(req.key))
            for req in hard_requirements(referral.job)
        ]
        if referral.hard_assessment
        else [],
        "Assessment": Assessment,
        "consent_statement": CONSENT_STATEMENT,
        "next_stages": queries.allowed_next_stages(referral),
        "hired_on": queries.hired_on(referral),
        "sections": sections.for_page(referral, current_user)
        if can_see_referral_rewards(current_user, referral)
        else {slot: [] for slot in sections.SLOTS},
        "interview_feedback": queries.interview_feedback_for(referral)
        if can_view_interview_feedback(current_user, referral)
        else [],
        "feedback_form": extra.pop("feedback_form", None) or InterviewFeedbackForm(formdata=None),
        "action_form": extra.pop("action_form", None) or StageActionForm(formdata=None),
        "withdraw_form": extra.pop("withdraw_form", None) or WithdrawForm(formdata=None),
        "left_form": extra.pop("left_form", None) or LeftCompanyForm(formdata=None),
        "reason_form": extra.pop("reason_form", None)
        or own_reason.ReferrerReasonForm(formdata=None),
        "may_add_reason": own_reason.may_add_reason(current_user, referral),
    }
    context.update(extra)
    return context


@bp.get("/<int:referral_id>")
def detail(referral_id: int) -> Response:
    referral = queries.get_referral_for(current_user, referral_id)
    return render("referrals/detail.html", **_detail_context(referral))


@bp.get("/<int:referral_id>/resume")
def resume(referral_id: int) -> Response:
    referral = queries.get_referral_for(current_user, referral_id)
    path = resumes.resume_path(referral.resume_file or "")
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=referral.resume_mimetype or "application/octet-stream",
        as_attachment=True,
        download_name=referral.resume_filename or path.name,
    )
    response.headers["Cache-Control"] = "private, no-store"  # candidate data stays off caches
    return response


# HR: the review queue and stage actions -----------------------------------------------------


def _queue_filters() -> queries.QueueFilters:
    """The queue's filters and search from the query string; an unusable value filters nothing."""
    try:
        stage = Stage(request.args["stage"]) if request.args.get("stage") else None
    except ValueError:
        stage = None
    q, trimmed = queries.QueueFilters.search_text(request.args.get("q"))
    return queries.QueueFilters(
        job_id=int_arg("job"),
        department_id=int_arg("department"),
        stage=stage,
        overdue_only=request.args.get("overdue") == "1",
        q=q,
        q_trimmed=trimmed,
    )


def _results_block() -> str | None:
    """The list's results alone for an htmx search; the whole page when htmx restores history."""
    return None if request.headers.get("HX-History-Restore-Request") else "results"


@bp.get("/queue")
@hr_required
def queue() -> Response:
    filters = _queue_filters()
    page = db.paginate(
        queries.review_queue(filters),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render(
        "referrals/queue.html",
        block=_results_block(),
        page=page,
        filters=filters,
        jobs=queries.queue_jobs(),
        departments=departments(),
        stages=list(Stage),
        next_stages=queries.allowed_next_stages,
        back=request.full_path,
    )


# Hiring managers: the referrals to their jobs and interview feedback ----------------------


@bp.get("/hiring")
def hiring() -> Response:
    if not can_view_hiring_referrals(current_user):
        abort(403)
    jobs = queries.hiring_jobs(current_user)
    filters = _queue_filters()
    # Only their own jobs can be chosen; departments and the HR review clock are HR's concern.
    job_id = filters.job_id if filters.job_id in {job.id for job in jobs} else None
    filters = replace(filters, job_id=job_id, department_id=None, overdue_only=False)
    page = db.paginate(
        queries.hiring_referrals(current_user, filters),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render(
        "referrals/hiring.html",
        block=_results_block(),
        page=page,
        filters=filters,
        jobs=jobs,
        stages=list(Stage),
    )


@bp.post("/<int:referral_id>/interview-feedback")
def interview_feedback(referral_id: int) -> Response:
    referral = queries.get_referral_for(current_user, referral_id)
    form = InterviewFeedbackForm()
    try:
        services.check_interview_feedback(referral, current_user)
        if form.validate():
            services.add_interview_feedback(referral, current_user, form.body.data)
    except services.ReferralError as exc:
        if exc.field != "body":  # not allowed (403) or no longer open (409): said as a message
            return _feedback_refused(referral, form, exc)
        form.body.errors = [*form.body.errors, exc.message]
    if form.errors:  # the text is missing or too long: shown under the field
        if is_fragment_request():
            return _feedback_section(referral, form, status=422)
        return render(
            "referrals/detail.html", status=422, **_detail_context(referral, feedback_form=form)
        )
    message = _("Thank you: HR can read your feedback on this referral now.")
    if is_fragment_request():
        toast(message, "success")
        return _feedback_section(referral, InterviewFeedbackForm(formdata=None))
    flash(message, "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id) + "#interview-feedback")


def _feedback_refused(
    referral: Referral, form: InterviewFeedbackForm, exc: services.ReferralError
) -> Response:
    if is_fragment_request():
        toast(exc.message, "danger")
        return _feedback_section(referral, form, status=exc.status)
    flash(exc.message, "danger")
    return render(
        "referrals/detail.html", status=exc.status, **_detail_context(referral, feedback_form=form)
    )


def _feedback_section(
    referral: Referral, form: InterviewFeedbackForm, status: int = 200
) -> Response:
    return render(
        "referrals/_interview_feedback.html",
        status=status,
        referral=referral,
        interview_feedback=queries.interview_feedback_for(referral),
        feedback_form=form,
    )


def _load_for_hr(referral_id: int) -> Referral:
    return queries.get_referral_for(current_user, referral_id)


def _row_response(referral: Referral, status: int = 200, error: str | None = None) -> Response:
    response = render(
        "referrals/_queue_row.html",
        status=status,
        referral=referral,
        next_stages=queries.allowed_next_stages,
        row_error=error,
        back=request.form.get("next") or url_for("referrals.queue"),
    )
    # The hire confirmation swaps into the row's actions; its answer replaces the whole row.
    response.headers["HX-Retarget"] = f"#referral-{referral.id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _after_action(
    referral: Referral,
    message: str,
    category: str,
    status: int,
    form: StageActionForm | None = None,
    field: str | None = None,
) -> Response:
    """Answer a stage action: the updated queue row for htmx, a redirect back for a plain form.

    A plain form with a mistake gets the page again with the message under `field` of `form`
    (the entered text kept)."""
    back = _safe_back(
        request.form.get("next"), url_for("referrals.detail", referral_id=referral.id)
    )
    if is_fragment_request() and request.form.get("target") == "row":
        toast(message, category)
        return _row_response(referral, status=status, error=message if status >= 400 else None)
    if is_fragment_request():
        toast(message, category)
        response = Response(status=status if status >= 400 else 200)
        if status < 400:
            response.headers["HX-Redirect"] = back
        else:
            response.headers["HX-Reswap"] = "none"
        return response
    if status >= 400 and status != 409:
        db.session.expire_all()
        fresh = queries.get_referral_for(current_user, referral.id)
        form = form or StageActionForm()
        if field and field in form:
            form[field].errors = [*form[field].errors, message]
        else:
            flash(message, category)
        return render(
            "referrals/detail.html", status=status, **_detail_context(fresh, action_form=form)
        )
    flash(message, category)
    return redirect(back)


def _hire_confirmation(referral: Referral, form: StageActionForm, status: int = 200) -> Response:
    """The second step of a move to "hired": the start date, and the feedback and note carried
    over from the first. A page of its own without JavaScript, its form alone for htmx."""
    earliest, latest = services.start_date_bounds()
    return render(
        "referrals/hire.html",
        block="hire_form",
        status=status,
        referral=referral,
        form=form,
        earliest=earliest,
        latest=latest,
        probation_months=probation_months(referral.rules or current_rules()),
        row=request.form.get("target") == "row",
        inline=is_fragment_request(),
        back=_safe_back(
            request.form.get("next"), url_for("referrals.detail", referral_id=referral.id)
        ),
    )


def _asks_for_confirmation(referral: Referral, form: StageActionForm) -> bool:
    """A move to "hired" not confirmed yet, that could go ahead: show the confirmation step.
    (A move that cannot go ahead — not HR's to make, a stale page, a skipped stage — is refused
    by the service as usual.)"""
    return (
        form.to_stage.data == Stage.HIRED.value
        and not form.confirm.data
        and can_decide_on(current_user, referral)
        and referral.stage.value == (form.expected_from.data or referral.stage.value)
        and Stage.HIRED in queries.allowed_next_stages(referral)
    )


@bp.post("/<int:referral_id>/advance")
@hr_required
def advance(referral_id: int) -> Response:
    referral = _load_for_hr(referral_id)
    form = StageActionForm()
    if not form.validate():
        return _after_action(referral, _("Please choose a valid stage."), "danger", 422)
    if _asks_for_confirmation(referral, form):
        return _hire_confirmation(referral, form)
    to_stage = Stage(form.to_stage.data)
    start_date = form.start_date_value()
    if to_stage == Stage.HIRED and form.start_date.errors:
        return _hire_confirmation(referral, form, status=422)
    try:
        referral = services.advance_stage(
            referral,
            to_stage,
            current_user,
            internal_note=form.internal_note.data,
            feedback=form.feedback.data,
            reason_code=form.reason_code.data,
            reason=form.reason.data,
            start_date=start_date,
            expected_from=form.expected_from.data or None,
        )
    except services.ReferralError as exc:
        db.session.expire_all()
        referral = _load_for_hr(referral_id)
        if to_stage == Stage.HIRED and exc.field == "start_date":
            form.start_date.errors = [*form.start_date.errors, exc.message]
            return _hire_confirmation(referral, form, status=exc.status)
        return _after_action(referral, exc.message, "danger", exc.status, form, exc.field)
    message = _(
        "%(candidate)s moved to %(stage)s.",
        candidate=referral.candidate.name,
        stage=str(STAGE_LABELS[to_stage]),
    )
    return _after_action(referral, message, "success", 200)


@bp.post("/<int:referral_id>/left")
@hr_required
def left_company(referral_id: int) -> Response:
    referral = _load_for_hr(referral_id)
    form = LeftCompanyForm()
    if not form.validate():
        return _after_action(referral, _("Please enter a valid date."), "danger", 422)
    try:
        services.record_left_company(referral, current_user, form.left_on.data, form.note.data)
    except services.ReferralError as exc:
        db.session.expire_all()
        return _after_action(_load_for_hr(referral_id), exc.message, "danger", exc.status)
    return _after_action(referral, _("Recorded that the hire left the company."), "success", 200)


@bp.post("/<int:referral_id>/withdraw")
def withdraw(referral_id: int) -> Response:
    referral = queries.get_referral_for(current_user, referral_id)
    if not (is_hr(current_user) or is_referrer_of(current_user, referral)):
        abort(403)  # the hiring manager sees the referral, and only HR or its referrer withdraws
    if not can_withdraw_referral(current_user, referral):
        return _after_action(
            referral, _("This referral is closed and cannot be withdrawn."), "warning", 409
        )
    form = WithdrawForm()
    if form.validate():
        try:
            services.withdraw_referral(
                referral, current_user, form.reason.data, form.reason_code.data
            )
        except services.ReferralError as exc:
            db.session.expire_all()
            if exc.field not in ("reason_code", "reason"):
                return _after_action(_load_for_hr(referral_id), exc.message, "danger", exc.status)
            form[exc.field].errors = [*form[exc.field].errors, exc.message]
        else:
            return _after_action(referral, _("The referral was withdrawn."), "success", 200)
    referral = queries.get_referral_for(current_user, referral_id)
    return render(
        "referrals/detail.html", status=422, **_detail_context(referral, withdraw_form=form)
    )


from community.referrals import own_reason  # noqa: E402  (its route is on bp)
