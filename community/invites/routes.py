"""Invitation pages. The referrer's: "My invitations" (the only page that shows a contact, to its
referrer alone), the form to invite someone, withdrawing one's own. The invited person's, public
(no account; the signed token is the key): the invitation, accepting it (consent and apply) and
declining it. Thin: parse → service → redirect or render."""

from __future__ import annotations

from typing import Any

import flask_babel
from flask import Blueprint, Response, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from community.core.htmx import render
from community.core.i18n import LANGUAGE_NAMES, current_locale
from community.core.localized import localized
from community.core.params import parse_int
from community.core.permissions import public
from community.core.time import utcnow
from community.extensions import db
from community.invites import answers, queries, services
from community.invites.answers import LinkProblem
from community.invites.errors import InviteError
from community.invites.forms import AcceptForm, DeclineForm, InviteForm
from community.invites.models import OPEN_STATUSES, Invitation, InvitationStatus, InviteSuppression
from community.invites.tokens import read_token
from community.links.queries import first_name
from community.network import queries as network_queries
from community.program.queries import current_rules
from community.referrals.errors import ReferralError
from community.referrals.services import ResumeUpload, choose_resume
from community.referrals.services.applications import (
    CLOSED,
    Application,
    received_message,
)

bp = Blueprint("invites", __name__)


# The referrer's pages --------------------------------------------------------------------------


@bp.get("/invites/")
def mine() -> Response:
    return render(
        "invites/mine.html",
        rows=queries.mine(current_user.id),
        left_today=queries.left_today(current_user.id),
    )


def _form_page(form: InviteForm, status: int = 200) -> Response:
    jobs = queries.open_jobs()
    form.job_id.choices = [SelectChoice(0, _("Choose a job…"))] + [
        SelectChoice(job.id, localized(job, "title").text) for job in jobs
    ]
    return render(
        "invites/new.html",
        status=status,
        form=form,
        jobs=jobs,
        left_today=queries.left_today(current_user.id),
    )


@bp.get("/invites/new")
def new() -> Response:
    form = InviteForm(formdata=None)
    form.job_id.data = request.args.get("job_id", 0, type=int)
    locale = request.args.get("locale", "")
    form.locale.data = (
        locale if locale in LANGUAGE_NAMES else current_user.locale or current_locale()
    )
    contact_id = request.args.get("contact_id", 0, type=int)
    if contact_id:  # from the outreach coach: one of the referrer's own contacts (else 404)
        contact = network_queries.get_own(current_user.id, contact_id)
        form.contact.data = contact.email or contact.phone or ""
    return _form_page(form)


@bp.post("/invites/new")
def send() -> Response:
    form = InviteForm()
    job_id = parse_int(request.form.get("job_id")) or 0
    try:
        invitation = services.send_invitation(
            current_user, job_id, form.contact.data, form.locale.data, form.note.data
        )
    except InviteError as exc:
        if exc.field and exc.field in form:
            form[exc.field].errors = [exc.message]
        else:
            flash(exc.message, "danger")
        return _form_page(form, exc.status)
    flash(
        _("Your invitation to %(contact)s is on its way.", contact=invitation.contact),
        "success",
    )
    return redirect(url_for("invites.mine"))


@bp.post("/invites/<int:invitation_id>/withdraw")
def withdraw(invitation_id: int) -> Response:
    services.withdraw_invitation(current_user, invitation_id)
    flash(_("The invitation is withdrawn: its link no longer works."), "success")
    return redirect(url_for("invites.mine"))


# The invited person's pages (public) -----------------------------------------------------------


@bp.after_request
def _kept_by_nobody(response: Response) -> Response:
    """The invited person's pages carry their session's form token, their contact and, after a
    refusal, what they typed: no shared cache may keep them (signed-in pages get this from
    core.security)."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def _speak(locale: str) -> None:
    """Answer a visitor without an account in the language they were invited in, until they
    choose another (the language switch keeps theirs in the session)."""
    if not current_user.is_authenticated and not session.get("locale"):
        session["locale"] = locale
        flask_babel.refresh()


def _unavailable(problem: LinkProblem, invitation: Invitation | None = None) -> Response:
    return render(
        "invites/unavailable.html",
        status=problem.status,
        problem=problem,
        invitation=invitation,
        decline_form=DeclineForm(formdata=None),
        suppressed=_suppressed(invitation),
        token=request.view_args.get("token") if request.view_args else None,
    )


def _suppressed(invitation: Invitation | None) -> bool:
    return bool(
        invitation is not None
        and db.session.scalar(
            select(InviteSuppression.id).where(
                InviteSuppression.contact_hash == invitation.contact_hash
            )
        )
    )


def _located(token: str) -> tuple[Invitation | None, Response | None]:
    """The invitation of `token`, or the page that says why there is none to answer."""
    reading = read_token(token)
    if reading is not None:  # a forged token says nothing: the browser's language then
        _speak(reading.locale)
    try:
        _reading, invitation = answers.locate(token)
    except LinkProblem as problem:
        return None, _unavailable(problem)
    return invitation, None


def _page(invitation: Invitation, token: str, status: int = 200, **forms: Any) -> Response:
    now = utcnow()
    state = invitation.status_at(now)
    if state in (*OPEN_STATUSES, InvitationStatus.EXPIRED) and not invitation.job.is_open:
        return _unavailable(
            LinkProblem(_("This job is no longer open."), status=410, code="closed"), invitation
        )
    if state == InvitationStatus.EXPIRED:
        return _unavailable(
            LinkProblem(_("This invitation has expired."), status=410, code="expired"), invitation
        )
    accept_form = forms.get("accept_form")
    if accept_form is None:
        accept_form = AcceptForm(formdata=None)
        if invitation.contact and "@" in invitation.contact:
            accept_form.email.data = invitation.contact
        elif invitation.contact:
            accept_form.phone.data = invitation.contact
    return render(
        "invites/invitation.html",
        status=status,
        invitation=invitation,
        token=token,
        state=state,
        answered=state not in OPEN_STATUSES or invitation.answered_at is not None,
        received=received_message(),
        referrer_name=first_name(invitation.referrer),
        job=invitation.job,
        accept_form=accept_form,
        decline_form=forms.get("decline_form") or DeclineForm(formdata=None),
        suppressed=_suppressed(invitation),
        review_days=current_rules().review_sla_days,
        problem=forms.get("problem"),
    )


@bp.get("/i/<token>")
@public
def invitation(token: str) -> Response:
    """The invitation: the job, who invites, why a referral helps, and the choices."""
    found, refused = _located(token)
    if refused is not None:
        return refused
    assert found is not None
    return _page(found, token)


@bp.post("/i/<token>/seen")
@public
def seen(token: str) -> Response:
    """The page's script says a person has it open (htmx, on load): only then does the referrer
    read "opened" — mail scanners and link previews fetch the link but run no script."""
    found, refused = _located(token)
    if refused is None and found is not None:
        answers.mark_opened(found)
    return Response(status=204)


@bp.post("/i/<token>/accept")
@public
def accept(token: str) -> Response:
    found, refused = _located(token)
    if refused is not None:
        return refused
    assert found is not None
    form = AcceptForm()
    # The resume is held first (only with consent), so that whatever else is wrong the person
    # need not choose it again.
    upload = request.files.get("resume")
    choice = choose_resume(
        found.referrer,
        ResumeUpload(upload.stream, upload.filename) if upload else None,
        form.kept_resume.data,
        consent=bool(form.consent.data),
    )
    form.kept_resume.data = choice.kept.token if choice.kept else ""
    if choice.problem:
        form.resume.errors = [choice.problem]
        return _page(found, token, 422, accept_form=form)
    application = Application(
        name=form.name.data or "",
        consent=bool(form.consent.data),
        email=form.email.data,
        phone=form.phone.data,
        current_employer=form.current_employer.data,
        current_title=form.current_title.data,
        kept_resume=choice.kept.token if choice.kept else None,
        resume_url=form.resume_url.data,
        locale=current_locale(),
    )
    try:
        answers.accept_invitation(token, application)
    except LinkProblem as problem:
        return _unavailable(problem)
    except ReferralError as exc:
        if exc.code == CLOSED:
            return _unavailable(LinkProblem(exc.message, status=exc.status, code="closed"))
        field = "name" if exc.field == "candidate_name" else exc.field
        if field and field in form:
            form[field].errors = [exc.message]
            return _page(found, token, exc.status, accept_form=form)
        return _page(found, token, exc.status, accept_form=form, problem=exc.message)
    return redirect(url_for("invites.invitation", token=token))


@bp.post("/i/<token>/decline")
@public
def decline(token: str) -> Response:
    found, refused = _located(token)
    if refused is not None:
        return refused
    form = DeclineForm()
    never_again = bool(form.never_again.data)
    try:
        answers.decline_invitation(token, never_again)
    except LinkProblem as problem:
        return _unavailable(problem, found)
    if never_again:
        flash(_("Understood: nobody here will invite you again."), "success")
    else:
        flash(
            _("Thank you for letting us know. We will not write to you about this job again."),
            "success",
        )
    return redirect(url_for("invites.invitation", token=token))
