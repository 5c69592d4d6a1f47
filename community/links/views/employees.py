"""What employees and HR do: "My links" (always the reader's own: the code, the all-jobs link
and one link per open job, each with its QR code, copy button, visitors and applications, and a
switch), and HR's list of every code, where any code or job link can be switched off."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import render
from community.core.links import external_url
from community.core.localized import localized
from community.core.params import page_arg
from community.core.permissions import hr_required
from community.extensions import db
from community.jobs.models import Job
from community.links import codes, queries, services
from community.links.models import PersonalLink, ReferralCode
from community.links.views import bp

HR_PER_PAGE = 50


def link_url(code: ReferralCode, job: Job | None = None) -> str:
    """The address a candidate opens: `/r/<code>`, or `/r/<code>/<job id>` for one job."""
    if job is None:
        return external_url("links.code_page", code=code.code)
    return external_url("links.job_page", code=code.code, job_id=job.id)


@bp.app_template_global()
def referral_link_url(code: ReferralCode, job: Job | None = None) -> str:
    return link_url(code, job)


@bp.app_template_global()
def shown_code(code: ReferralCode) -> str:
    return codes.shown(code.code)


@bp.get("/links/mine")
def mine() -> Response:
    code = services.code_of(current_user)
    return render("links/mine.html", links=queries.my_links(code))


def _open_job(job_id: int) -> Job:
    """An open job (a link leads only to those); anything else the same 404 as a missing one."""
    job = db.session.get(Job, job_id)
    if job is None or not job.is_open:
        abort(404)
    return job


@bp.get("/links/mine/qr")
@bp.get("/links/mine/qr/<int:job_id>")
def qr(job_id: int | None = None) -> Response:
    """The QR code of one of the reader's own links, as SVG (`?download=1`: as a file)."""
    job = _open_job(job_id) if job_id is not None else None
    code = services.code_of(current_user)
    svg = io.BytesIO()
    title = localized(job, "title").text if job else _("All open jobs")
    segno.make(link_url(code, job), error="m").save(svg, kind="svg", scale=6, border=2, title=title)
    response = Response(svg.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    if request.args.get("download"):
        name = f"referral-{code.code}" + (f"-{job.id}" if job else "") + ".svg"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _switched_on() -> bool:
    value = request.form.get("on")
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


def _flash_switch(on: bool) -> None:
    if on:
        flash(_("The link is switched on: candidates can open it and apply again."), "success")
    else:
        flash(
            _("The link is switched off: candidates who open it see that it does not work."), "info"
        )


@bp.post("/links/mine/code")
def switch_my_code() -> Response:
    on = _switched_on()
    try:
        services.switch_code(current_user, services.code_of(current_user), on)
    except services.LinkError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("links.mine"), 303)
    _flash_switch(on)
    return redirect(url_for("links.mine"), 303)


@bp.post("/links/mine/code/renew")
def renew_my_code() -> Response:
    try:
        services.renew_code(current_user, services.code_of(current_user))
    except services.LinkError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("links.mine"), 303)
    flash(
        _("You have a new code. Your old code and links no longer work: share the new ones."),
        "success",
    )
    return redirect(url_for("links.mine"), 303)


@bp.post("/links/mine/jobs/<int:job_id>")
def switch_my_link(job_id: int) -> Response:
    job = _open_job(job_id)
    on = _switched_on()
    try:
        services.switch_link(current_user, services.code_of(current_user), job, on)
    except services.LinkError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("links.mine", _anchor=f"job-{job.id}"), 303)
    _flash_switch(on)
    return redirect(url_for("links.mine", _anchor=f"job-{job.id}"), 303)


# HR ------------------------------------------------------------------------------------------


@bp.get("/links/hr")
@hr_required
def hr() -> Response:
    q = (request.args.get("q") or "")[:80]
    page = db.paginate(
        queries.codes_for_hr(q), page=page_arg(), per_page=HR_PER_PAGE, error_out=False
    )
    return render(
        "links/hr.html",
        page=page,
        q=q,
        links=queries.links_of([code.id for code in page.items]),
        totals=queries.totals(list(page.items)),
    )


def _back_to_hr() -> Response:
    return redirect(url_for("links.hr", q=request.form.get("q") or None), 303)


@bp.post("/links/hr/codes/<int:code_id>")
@hr_required
def hr_switch_code(code_id: int) -> Response:
    code = db.session.get(ReferralCode, code_id) or abort(404)
    on = _switched_on()
    services.switch_code(current_user, code, on)
    _flash_switch(on)
    return _back_to_hr()


@bp.post("/links/hr/links/<int:link_id>")
@hr_required
def hr_switch_link(link_id: int) -> Response:
    link = db.session.get(PersonalLink, link_id) or abort(404)
    on = _switched_on()
    services.switch_link(current_user, link.code, link.job, on)
    _flash_switch(on)
    return _back_to_hr()
