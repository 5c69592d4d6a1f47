"""Mentoring pages (老带新): the directory and one's own mentoring, the offer, asking a mentor,
a pairing's page, and HR's pairing page. Thin: parse → service → redirect or render; a refusal a
form can show goes beside its field, any other is answered by the domain-error handler."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import is_fragment_request, render, toast
from community.core.permissions import hr_required
from community.mentoring import pairings, queries, rules, services
from community.mentoring.forms import (
    DeclineForm,
    EndForm,
    GoalForm,
    NoteForm,
    OfferForm,
    PairForm,
    RequestForm,
    SharingForm,
)
from community.mentoring.models import OfferStatus, Pairing
from community.mentoring.services import MentoringError
from community.pipeline import stage_label

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")


def _field_error(form: Any, exc: MentoringError) -> None:
    if exc.field and exc.field in form:
        form[exc.field].errors = [exc.message]
    else:
        flash(exc.message, "danger")


def _done(message: str, target: str) -> Response:
    flash(message, "success")
    return redirect(target)


@bp.get("/")
def index() -> Response:
    topic = (request.args.get("topic") or "").strip()[:40]
    return render(
        "mentoring/index.html",
        block="directory",
        cards=queries.directory(topic),
        topics=queries.all_topics(),
        topic=topic,
        mine=queries.mine(current_user.id),
        offer=services.offer_of(current_user.id),
        may_mentor=rules.may_mentor(current_user),
        is_newcomer=rules.is_newcomer(current_user),
    )


# The offer -----------------------------------------------------------------------------------


def _offer_page(form: OfferForm, status: int = 200) -> Response:
    offer = services.offer_of(current_user.id)
    return render(
        "mentoring/offer.html",
        status=status,
        form=form,
        offer=offer,
        may_mentor=rules.may_mentor(current_user),
        taken=services.active_count(current_user.id),
    )


@bp.get("/offer")
def offer() -> Response:
    existing = services.offer_of(current_user.id)
    form = OfferForm(formdata=None)
    if existing is not None:
        form.topics.data = ", ".join(existing.topics or [])
        form.about.data = existing.about
        form.capacity.data = existing.capacity
    else:
        form.capacity.data = 2
    return _offer_page(form)


@bp.post("/offer")
def save_offer() -> Response:
    form = OfferForm()
    try:
        services.save_offer(current_user, form.topics.data, form.about.data, form.capacity.data)
    except MentoringError as exc:
        if exc.status == 403:
            raise
        _field_error(form, exc)
        return _offer_page(form, exc.status)
    return _done(_("Your offer to mentor is saved."), url_for("mentoring.index"))


@bp.post("/offer/status")
def offer_status() -> Response:
    try:
        status = OfferStatus(request.form.get("status", ""))
    except ValueError:
        raise MentoringError(_("Choose open, paused or withdrawn.")) from None
    services.set_offer_status(current_user, status)
    message = {
        OfferStatus.OPEN: _("Your offer is open: newcomers can ask you."),
        OfferStatus.PAUSED: _("Your offer is paused: nobody new can ask you until you reopen it."),
        OfferStatus.WITHDRAWN: _("Your offer is withdrawn. Your current pairings go on."),
    }[status]
    return _done(message, url_for("mentoring.offer"))


# Asking a mentor -----------------------------------------------------------------------------


def _ask_page(mentor_id: int, form: RequestForm, status: int = 200) -> Response:
    card = queries.get_mentor_card(mentor_id)
    if card is None:
        raise MentoringError(_("This colleague is not taking mentees now."), status=404)
    return render(
        "mentoring/ask.html",
        status=status,
        card=card,
        form=form,
        is_newcomer=rules.is_newcomer(current_user),
        open_pairing=services.open_pairing_of(current_user.id),
    )


@bp.get("/mentors/<int:mentor_id>")
def ask(mentor_id: int) -> Response:
    return _ask_page(mentor_id, RequestForm(formdata=None))


@bp.post("/mentors/<int:mentor_id>")
def send_request(mentor_id: int) -> Response:
    form = RequestForm()
    try:
        pairing = services.request_mentor(current_user, mentor_id, form.message.data)
    except MentoringError as exc:
        if exc.field is None:
            raise
        _field_error(form, exc)
        return _ask_page(mentor_id, form, exc.status)
    return _done(
        _(
            "Your request is sent. You will hear when %(name)s answers.",
            name=pairing.mentor.shown_name,
        ),
        url_for("mentoring.index"),
    )


@bp.post("/pairings/<int:pairing_id>/accept")
def accept(pairing_id: int) -> Response:
    pairing = services.accept_request(current_user, pairing_id)
    return _done(
        _("You are now mentoring %(name)s. Set a goal together.", name=pairing.mentee.shown_name),
        url_for("mentoring.pairing", pairing_id=pairing.id),
    )


@bp.post("/pairings/<int:pairing_id>/decline")
def decline(pairing_id: int) -> Response:
    form = DeclineForm()
    services.decline_request(current_user, pairing_id, form.answer.data)
    return _done(_("Request declined."), url_for("mentoring.index"))


@bp.post("/pairings/<int:pairing_id>/withdraw")
def withdraw(pairing_id: int) -> Response:
    services.withdraw_request(current_user, pairing_id)
    return _done(_("Your request is withdrawn."), url_for("mentoring.index"))


# A pairing -----------------------------------------------------------------------------------


def _pairing_page(pairing: Pairing, status: int = 200, **forms: Any) -> Response:
    goal_form = forms.get("goal_form") or GoalForm(formdata=None)
    if "goal_form" not in forms:
        goal_form.goal.data = pairing.goal
        goal_form.goal_due_on.data = pairing.goal_due_on
        goal_form.ends_on.data = pairing.ends_on
    sharing_form = SharingForm(formdata=None)
    sharing_form.share_referral_count.data = pairing.share_referral_count
    sharing_form.share_stages.data = pairing.share_stages
    return render(
        "mentoring/pairing.html",
        block=forms.get("block"),
        status=status,
        pairing=pairing,
        progress=queries.progress(pairing, current_user),
        reward=queries.reward_of(pairing.id),
        goal_form=goal_form,
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        end_form=forms.get("end_form") or EndForm(formdata=None),
        decline_form=DeclineForm(formdata=None),
        sharing_form=sharing_form,
        stage_label=stage_label,
    )


@bp.get("/pairings/<int:pairing_id>")
def pairing(pairing_id: int) -> Response:
    return _pairing_page(queries.get_pairing(pairing_id, current_user))


def _back(pairing_id: int, anchor: str | None = None) -> str:
    return url_for("mentoring.pairing", pairing_id=pairing_id, _anchor=anchor)


@bp.post("/pairings/<int:pairing_id>/goal")
def goal(pairing_id: int) -> Response:
    form = GoalForm()
    try:
        pairings.set_goal(
            current_user, pairing_id, form.goal.data, form.goal_due_on.data, form.ends_on.data
        )
    except MentoringError as exc:
        if exc.field is None:
            raise
        _field_error(form, exc)
        return _pairing_page(
            queries.get_pairing(pairing_id, current_user), exc.status, goal_form=form
        )
    return _done(_("Goal saved."), _back(pairing_id))


@bp.post("/pairings/<int:pairing_id>/goal-reached")
def goal_reached(pairing_id: int) -> Response:
    pairings.mark_goal_reached(current_user, pairing_id)
    return _done(_("Congratulations: the goal is reached."), _back(pairing_id))


@bp.post("/pairings/<int:pairing_id>/notes")
def add_note(pairing_id: int) -> Response:
    form = NoteForm()
    try:
        pairings.add_note(current_user, pairing_id, form.body.data)
    except MentoringError as exc:
        if exc.field is None:
            raise
        _field_error(form, exc)
        if is_fragment_request():
            toast(exc.message, "danger")
        pairing = queries.get_pairing(pairing_id, current_user)
        return _pairing_page(pairing, exc.status, note_form=form, block="notes")
    pairing = queries.get_pairing(pairing_id, current_user)
    if is_fragment_request():
        toast(_("Check-in saved."), "success")
        return _pairing_page(pairing, block="notes")
    return _done(_("Check-in saved."), _back(pairing_id, "check-ins"))


@bp.post("/pairings/<int:pairing_id>/sharing")
def sharing(pairing_id: int) -> Response:
    form = SharingForm()
    pairings.save_sharing(
        current_user, pairing_id, form.share_referral_count.data, form.share_stages.data
    )
    return _done(_("Your sharing choices are saved."), _back(pairing_id, "progress"))


@bp.post("/pairings/<int:pairing_id>/end")
def end(pairing_id: int) -> Response:
    form = EndForm()
    try:
        pairings.end_pairing(current_user, pairing_id, form.outcome.data, form.note.data)
    except MentoringError as exc:
        if exc.field is None:
            raise
        _field_error(form, exc)
        return _pairing_page(
            queries.get_pairing(pairing_id, current_user), exc.status, end_form=form
        )
    return _done(_("The pairing has ended. Thank you both."), _back(pairing_id))


# HR ------------------------------------------------------------------------------------------


def _hr_page(form: PairForm, status: int = 200) -> Response:
    form.mentee_id.choices = [("", _("Choose…"))] + [
        (person.id, person.shown_name) for person in queries.pairable_people()
    ]
    form.mentor_id.choices = [("", _("Choose…"))] + [
        (card.mentor.id, _("%(name)s (%(free)d free)", name=card.mentor.shown_name, free=card.free))
        for card in queries.directory()
    ]
    return render("mentoring/hr.html", status=status, form=form, overview=queries.overview())


@bp.get("/hr")
@hr_required
def hr() -> Response:
    return _hr_page(PairForm(formdata=None))


@bp.post("/hr/pair")
@hr_required
def hr_pair() -> Response:
    form = PairForm()
    try:
        pairing = services.pair(
            current_user,
            form.mentor_id.data,
            form.mentee_id.data,
            form.goal.data,
            form.goal_due_on.data,
        )
    except MentoringError as exc:
        if exc.field is None and exc.status != 409:
            raise
        _field_error(form, exc)
        return _hr_page(form, exc.status)
    return _done(
        _(
            "%(mentee)s is paired with %(mentor)s. Both have been told.",
            mentee=pairing.mentee.shown_name,
            mentor=pairing.mentor.shown_name,
        ),
        url_for("mentoring.hr"),
    )
