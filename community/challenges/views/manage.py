"""What hosts and HR do with a challenge: the form (new, edit), prizes, submit, approve, cancel,
extend, disqualify and reinstate, and the host's view. Thin: parse → service → render.

Managers and HR host; an employee gets 403 on every page here. A challenge is the business of
its host and HR only: to anyone else its pages answer the same 404 as a missing one (the house's
rule for records that are not yours). A refusal of a service shows on the field it names, with
its status; a plain form works without JavaScript, htmx swaps the part that changed."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from community.challenges import entries, services
from community.challenges import host as reads
from community.challenges.forms import ChallengeForm, ExtendForm, PrizeForm, ReasonForm, to_utc
from community.challenges.models import EDITABLE, Challenge, ChallengeStatus
from community.challenges.rules import ChallengeError, can_host, needs_approval
from community.challenges.views import bp
from community.core.htmx import is_fragment_request, render, toast
from community.core.localized import localized
from community.core.permissions import hr_required
from community.core.time import company_tz, to_local, utcnow
from community.extensions import db


def _managed(challenge_id: int) -> Challenge:
    """The challenge, if the reader hosts it or is HR: 403 for people who never host, the same
    404 as a missing challenge for everyone else."""
    if not can_host(current_user):
        abort(403)
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not services.can_manage(current_user, challenge):
        abort(404)
    return challenge


def _attach(form: FlaskForm, exc: ChallengeError, shown: set[str] | None = None) -> str | None:
    """Put the refusal under the field it names; returns it when no field shows it."""
    db.session.rollback()
    target = getattr(form, exc.field or "", None)
    if target is None or (shown is not None and exc.field not in shown):
        return exc.message
    target.errors = [*target.errors, exc.message]
    return None


def zone_name() -> str:
    """The company's zone as people read it: "Asia/Shanghai (UTC+08:00)"."""
    offset = to_local(utcnow()).strftime("%z")
    return f"{company_tz().key} (UTC{offset[:3]}:{offset[3:]})"


def _shown_fields(form: ChallengeForm) -> set[str]:
    names = {name for name in form._fields if name != "csrf_token"}
    return names if form.hr_host else names - {"team_mode"}


def _new_page(form: ChallengeForm, status: int = 200, error: str | None = None) -> Response:
    return render(
        "challenges/form.html",
        status=status,
        form=form,
        challenge=None,
        zone=zone_name(),
        page_error=error,
    )


def frozen_reason(challenge: Challenge) -> str:
    """Why the form is not offered for a challenge past its start."""
    if challenge.status == ChallengeStatus.FINAL:
        return _("This challenge is final: nothing about it can change.")
    if challenge.status == ChallengeStatus.CANCELLED:
        return _("This challenge is cancelled: nothing about it can change.")
    return _("After it goes live only the end can be extended and prizes added.")


def _edit_page(
    challenge: Challenge,
    *,
    form: ChallengeForm | None = None,
    status: int = 200,
    block: str | None = None,
    page_error: str | None = None,
    **forms: Any,
) -> Response:
    db.session.refresh(challenge)
    if form is None and challenge.status in EDITABLE:
        form = ChallengeForm(formdata=None).setup(challenge.host, challenge)
        form.fill_from(challenge)
    extend_form = forms.get("extend_form") or ExtendForm(formdata=None, prefix="extend")
    if extend_form.ends_at.data is None:
        extend_form.ends_at.data = to_local(challenge.ends_at)
    return render(
        "challenges/form.html",
        block=block,
        status=status,
        challenge=challenge,
        form=form,
        prize_form=forms.get("prize_form") or PrizeForm(formdata=None).setup(challenge.metric),
        extend_form=extend_form,
        cancel_form=forms.get("cancel_form") or ReasonForm(formdata=None, prefix="cancel"),
        names=reads.names_for([challenge]),
        zone=zone_name(),
        needs_approval=needs_approval(challenge.host),
        page_error=page_error,
    )


# The form ------------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response:
    if not can_host(current_user):
        abort(403)
    form = ChallengeForm().setup(current_user)
    if request.method == "GET":
        return _new_page(form)
    status, error = 422, None
    if form.validate_on_submit() and form.check_choices():
        try:
            challenge = services.create_challenge(current_user, form.fields(current_user))
        except ChallengeError as exc:
            status, error = exc.status, _attach(form, exc, _shown_fields(form))
        else:
            flash(_("Draft saved. Add its prizes, then submit it."), "success")
            return redirect(url_for("challenges.edit", challenge_id=challenge.id, _anchor="prizes"))
    return _new_page(form, status, error)


@bp.route("/<int:challenge_id>/edit", methods=["GET", "POST"])
def edit(challenge_id: int) -> Response:
    challenge = _managed(challenge_id)
    if request.method == "GET":
        return _edit_page(challenge)
    if challenge.status not in EDITABLE:
        return _edit_page(challenge, status=409, page_error=frozen_reason(challenge))
    host = challenge.host
    form = ChallengeForm().setup(host, challenge)
    status, error = 422, None
    if form.validate_on_submit() and form.check_choices():
        was = challenge.status
        try:
            services.update_challenge(current_user, challenge.id, form.fields(host))
        except ChallengeError as exc:
            status, error = exc.status, _attach(form, exc, _shown_fields(form))
        else:
            if was != challenge.status == ChallengeStatus.AWAITING_APPROVAL:
                flash(_("Changes saved. The challenge waits for HR's approval again."), "success")
            else:
                flash(_("Changes saved."), "success")
            return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    return _edit_page(challenge, form=form, status=status, page_error=error)


# Prizes --------------------------------------------------------------------------------------


def _prizes_answer(
    challenge: Challenge, message: str | None, status: int, **forms: Any
) -> Response:
    """After a prize change: the prizes card (htmx) or the edit page; `message` is what went
    right, or a refusal no field shows."""
    if is_fragment_request():
        if message:
            toast(message, "success" if status < 400 else "danger")
        return _edit_page(challenge, block="prizes", status=status, **forms)
    if status < 400:
        flash(message or "", "success")
        return redirect(url_for("challenges.edit", challenge_id=challenge.id, _anchor="prizes"))
    return _edit_page(challenge, status=status, page_error=message, **forms)


@bp.post("/<int:challenge_id>/prizes")
def add_prize(challenge_id: int) -> Response:
    challenge = _managed(challenge_id)
    form = PrizeForm().setup(challenge.metric)
    if not form.validate():
        return _prizes_answer(challenge, None, 422, prize_form=form)
    try:
        services.add_prize(current_user, challenge.id, form.fields())
    except ChallengeError as exc:
        error = _attach(form, exc)
        return _prizes_answer(challenge, error, exc.status, prize_form=form)
    return _prizes_answer(challenge, _("Prize added."), 200)


@bp.post("/<int:challenge_id>/prizes/<int:prize_id>/delete")
def remove_prize(challenge_id: int, prize_id: int) -> Response:
    challenge = _managed(challenge_id)
    if not any(prize.id == prize_id for prize in challenge.prizes):
        abort(404)
    try:
        services.remove_prize(current_user, challenge.id, prize_id)
    except ChallengeError as exc:
        db.session.rollback()
        return _prizes_answer(challenge, exc.message, exc.status)
    return _prizes_answer(challenge, _("Prize removed."), 200)


# The challenge's moves -----------------------------------------------------------------------


@bp.post("/<int:challenge_id>/submit")
def submit(challenge_id: int) -> Response:
    challenge = _managed(challenge_id)
    try:
        services.submit_challenge(current_user, challenge.id)
    except ChallengeError as exc:
        db.session.rollback()
        return _edit_page(challenge, status=exc.status, page_error=exc.message)
    if challenge.status == ChallengeStatus.AWAITING_APPROVAL:
        flash(_("Sent to HR for approval. You will hear when it is approved."), "success")
    else:
        flash(_("The challenge is scheduled: it goes live at its start."), "success")
    return redirect(url_for("challenges.detail", challenge_id=challenge.id))


@bp.post("/<int:challenge_id>/cancel")
def cancel(challenge_id: int) -> Response:
    challenge = _managed(challenge_id)
    form = ReasonForm(prefix="cancel")
    try:
        services.cancel_challenge(current_user, challenge.id, form.reason.data)
    except ChallengeError as exc:
        error = _attach(form, exc) if exc.field else exc.message
        return _edit_page(challenge, status=exc.status, page_error=error, cancel_form=form)
    flash(_("The challenge is cancelled. Everyone in it reads your reason."), "success")
    return redirect(url_for("challenges.detail", challenge_id=challenge.id))


@bp.post("/<int:challenge_id>/extend")
def extend(challenge_id: int) -> Response:
    challenge = _managed(challenge_id)
    form = ExtendForm(prefix="extend")
    if not form.validate():
        live = challenge.status == ChallengeStatus.LIVE  # (else the form is not on the page)
        error = None if live else _("Only a live challenge can be extended.")
        return _edit_page(challenge, status=422, extend_form=form, page_error=error)
    try:
        services.extend_challenge(current_user, challenge.id, to_utc(form.ends_at.data))  # type: ignore[arg-type]
    except ChallengeError as exc:
        error = _attach(form, exc)
        return _edit_page(challenge, status=exc.status, page_error=error, extend_form=form)
    flash(_("The end is moved. Everyone in the challenge sees the new date."), "success")
    return redirect(url_for("challenges.detail", challenge_id=challenge.id))


# HR: approvals -------------------------------------------------------------------------------


def _approvals(status: int = 200, page_error: str | None = None) -> Response:
    queue = reads.awaiting_approval()
    return render(
        "challenges/approvals.html",
        block="queue",
        status=status,
        queue=queue,
        names=reads.names_for(queue),
        page_error=page_error,
    )


@bp.get("/approvals")
@hr_required
def approvals() -> Response:
    return _approvals()


@bp.post("/<int:challenge_id>/approve")
@hr_required
def approve(challenge_id: int) -> Response:
    challenge = db.session.get(Challenge, challenge_id) or abort(404)
    try:
        services.approve_challenge(current_user, challenge.id)
    except ChallengeError as exc:
        db.session.rollback()
        if is_fragment_request():
            toast(exc.message, "danger")
        return _approvals(exc.status, exc.message)
    message = _("Approved: %(title)s is scheduled.", title=localized(challenge, "title").text)
    if is_fragment_request():
        toast(message)
        return _approvals()
    flash(message, "success")
    return redirect(url_for("challenges.approvals"))


# The host's view -----------------------------------------------------------------------------


def _host_page(
    challenge: Challenge, status: int = 200, block: str | None = None, **errors: Any
) -> Response:
    db.session.refresh(challenge)
    return render(
        "challenges/host.html",
        block=block,
        status=status,
        challenge=challenge,
        participation=reads.participation(challenge),
        daily=reads.daily_referrals(challenge),
        paid=reads.payouts(challenge),
        participants=reads.participant_rows(challenge),
        names=reads.names_for([challenge]),
        row_errors=errors.get("row_errors", {}),
    )


@bp.get("/<int:challenge_id>/host")
def host(challenge_id: int) -> Response:
    return _host_page(_managed(challenge_id))


def _set_disqualified(challenge_id: int, user_id: int, disqualified: bool) -> Response:
    challenge = db.session.get(Challenge, challenge_id) or abort(404)
    entrant = reads.entrant(challenge.id, user_id) or abort(404)
    name = entrant.user.shown_name
    try:
        entries.set_disqualified(
            current_user, challenge.id, user_id, disqualified, request.form.get("reason")
        )
    except ChallengeError as exc:
        db.session.rollback()
        if is_fragment_request():
            toast(exc.message, "danger")
            return _host_page(challenge, exc.status, "host_body", row_errors={user_id: exc.message})
        return _host_page(challenge, exc.status, row_errors={user_id: exc.message})
    if disqualified:
        message = _("%(name)s is disqualified. Their multiplier bonus goes back.", name=name)
    else:
        message = _("%(name)s is back in the standings.", name=name)
    if is_fragment_request():
        toast(message)
        return _host_page(challenge, block="host_body")
    flash(message, "success")
    return redirect(url_for("challenges.host", challenge_id=challenge.id, _anchor="participants"))


@bp.post("/<int:challenge_id>/entrants/<int:user_id>/disqualify")
@hr_required
def disqualify(challenge_id: int, user_id: int) -> Response:
    return _set_disqualified(challenge_id, user_id, True)


@bp.post("/<int:challenge_id>/entrants/<int:user_id>/reinstate")
@hr_required
def reinstate(challenge_id: int, user_id: int) -> Response:
    return _set_disqualified(challenge_id, user_id, False)
