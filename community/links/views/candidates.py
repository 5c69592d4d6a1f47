"""The pages candidates open without an account. Every one is `@public`, in the candidate's
language (the language switch keeps them on the page), and tells nothing about anyone but the
referrer's first name.

A code or link that does not work — forged, unknown, switched off, its job closed — answers one
404 page that says so kindly. Looking codes up is rate limited per visitor, counting only the
misses; applying is limited per visitor and per link. The limiter's key is the visitor's salted
hash (`counting.visitor_key`), never their address.
"""

from __future__ import annotations

import logging

from flask import Response, current_app, redirect, request, url_for
from flask_login import current_user

from community.core.htmx import render
from community.core.i18n import current_locale
from community.core.localized import localized
from community.core.permissions import public
from community.extensions import limiter
from community.jobs.models import Job, hard_requirements
from community.links import codes, counting, queries, services
from community.links.forms import ApplyForm
from community.links.models import ReferralCode
from community.links.views import bp
from community.program.queries import current_rules
from community.referrals import services as referral_services
from community.referrals.forms import validate_with_resume
from community.referrals.labels import requirement_label

logger = logging.getLogger(__name__)


def _lookup_limit() -> str:
    return str(current_app.config["LINKS_LOOKUP_RATE_LIMIT"])


def _apply_limit() -> str:
    return str(current_app.config["LINKS_APPLY_RATE_LIMIT"])


def _link_limit() -> str:
    return str(current_app.config["LINKS_PER_LINK_RATE_LIMIT"])


def _missed(response: Response) -> bool:
    """Only lookups that found nothing count towards the lookup limit (guessing codes)."""
    return response.status_code == 404


def _the_link() -> str:
    """The per-link limiter's key: the link, whoever posts to it."""
    args = request.view_args or {}
    code = codes.normalise_code(str(args.get("code", ""))) or "unknown"
    return f"link:{code}:{args.get('job_id', 'all')}"


# One budget for every lookup a visitor makes, on whichever page: guessing codes through the
# jobs page's box costs the same as guessing them in URLs.
_lookups = limiter.shared_limit(
    _lookup_limit, scope="links-lookup", key_func=counting.visitor_key, deduct_when=_missed
)


@bp.after_request
def _kept_by_nobody(response: Response) -> Response:
    """The candidates' pages carry a form token of their session and, after a refusal, what they
    typed: no shared cache may keep them (signed-in pages get this from core.security)."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def not_found() -> Response:
    """The one answer for a code or link that does not work, in the candidate's language."""
    return render("links/not_found.html", status=404)


def _count_visit(code: ReferralCode, job: Job | None) -> None:
    if current_user.is_authenticated and current_user.id == code.user_id:
        return  # the referrer trying their own link is no visitor
    services.count_click(code, job, request.remote_addr)


@bp.get("/careers")
@public
@_lookups
def careers() -> Response:
    """Every open job, and a box for the referral code a candidate was given."""
    typed = request.args.get("code")
    code_error = False
    if typed is not None:
        code = queries.active_code(typed)
        if code is not None:
            return redirect(url_for("links.code_page", code=code.code, via="code"))
        code_error = True
    return render(
        "links/careers.html",
        status=404 if code_error else 200,
        jobs=queries.all_open_jobs(),
        typed=(typed or "")[:40],
        code_error=code_error,
    )


@bp.get("/r/<code>")
@public
@_lookups
def code_page(code: str) -> Response:
    """A referrer's link for all their open jobs."""
    found = queries.active_code(code)
    if found is None or not queries.takes_applications(found):
        return not_found()
    if found.code != code:
        return redirect(url_for("links.code_page", code=found.code, **_via_args()), 301)
    _count_visit(found, None)
    return render(
        "links/code_page.html",
        code=found,
        referrer=queries.first_name(found.user),
        jobs=queries.open_jobs_of(found),
        via=_via(),
        review_days=current_rules().review_sla_days,
    )


def _via() -> str:
    return "code" if request.values.get("via") == "code" else ""


def _via_args() -> dict[str, str]:
    return {"via": "code"} if _via() else {}


def _job_page(
    code: ReferralCode, job: Job, form: ApplyForm, status: int = 200, **extra: object
) -> Response:
    return render(
        "links/job_page.html",
        status=status,
        code=code,
        job=job,
        title=localized(job, "title"),
        referrer=queries.first_name(code.user),
        requirements=[requirement_label(req) for req in hard_requirements(job)],
        form=form,
        kept=extra.pop("kept", None),
        file_lost=extra.pop("file_lost", False),
        refusal=extra.pop("refusal", None),
        review_days=current_rules().review_sla_days,
    )


@bp.route("/r/<code>/<int:job_id>", methods=["GET", "POST"])
@public
@_lookups
@limiter.limit(_apply_limit, methods=["POST"], key_func=counting.visitor_key)
@limiter.limit(_link_limit, methods=["POST"], key_func=_the_link)
def job_page(code: str, job_id: int) -> Response:
    """A referrer's personal link for one job: the job, why a referral helps, and the form."""
    found = queries.active_code(code)
    job = queries.linked_job(found, job_id) if found else None
    if found is None or job is None:
        return not_found()
    if found.code != code:
        return redirect(
            url_for("links.job_page", code=found.code, job_id=job.id, **_via_args()), 301
        )
    if request.method == "GET":
        _count_visit(found, job)
        return _job_page(found, job, ApplyForm(formdata=None, via=_via()))
    return _apply(found, job)


def _apply(code: ReferralCode, job: Job) -> Response:
    form = ApplyForm()
    if form.is_bot:
        # Pretend it went through and write nothing: a bot learns nothing to adapt to.
        logger.info("honeypot filled on the link for job %s: nothing written", job.id)
        return redirect(url_for("links.thanks"))
    # The resume is held for the referrer's id (only this form knows its token), never without
    # the candidate's consent.
    choice, valid = validate_with_resume(form, code.user)
    if not valid:
        return _job_page(
            code, job, form, 422, kept=choice.kept, file_lost=choice.dropped_without_consent
        )
    try:
        services.apply_through(
            code,
            job,
            form.application(choice.kept.token if choice.kept else None, current_locale()),
            typed_code=form.via.data == "code",
        )
    except referral_services.ReferralError as exc:
        if exc.code == "duplicate":
            return redirect(url_for("links.thanks"))  # exactly as a success looks
        if exc.code == "closed":
            return not_found()
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None:
            field.errors = [*field.errors, exc.message]
        if exc.field == "resume":
            choice = referral_services.ResumeChoice(None)  # the held file went meanwhile
            form.kept_resume.data = ""
        return _job_page(
            code,
            job,
            form,
            exc.status,
            kept=choice.kept,
            refusal=None if field is not None else exc.message,
        )
    return redirect(url_for("links.thanks"))


@bp.get("/candidates/thanks")
@public
def thanks() -> Response:
    """The same page after every application, recorded or not (see `submit_application`)."""
    return render("links/thanks.html", message=referral_services.received_message())


@bp.get("/candidates/privacy")
@public
def privacy() -> Response:
    """What is kept about a candidate, for how long and who sees it; invitations too."""
    return render(
        "links/privacy.html",
        resume_keep_minutes=current_app.config["RESUME_KEEP_MINUTES"],
        ownership_days=current_rules().ownership_window_days,
        # The invites room owns these settings; the notice states its defaults until it is there.
        invitation_days=current_app.config.get("INVITATION_EXPIRY_DAYS", 14),
        invitation_delete_days=current_app.config.get("INVITATION_DELETE_DAYS", 30),
    )
