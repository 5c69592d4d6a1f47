"""What hosts and HR do: publish a session, edit it, cancel it, take attendance (the list and
the check-in code to show in the room), attach slides and the recording link. A session's host
and HR manage it; to anyone else these pages answer 403. Thin: load → service → render."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import is_fragment_request, render, toast
from community.core.localized import localized
from community.core.time import utcnow
from community.core.uploads import UploadError
from community.sharing import attendance, materials, queries, services
from community.sharing.forms import CancelForm, RecordingForm, SessionForm
from community.sharing.models import SharingSession
from community.sharing.permissions import can_host_sessions, can_manage_session
from community.sharing.rules import SharingError
from community.sharing.views import bp
from community.sharing.views.pages import load


def managed(session_id: int) -> SharingSession:
    """The session, if the reader manages it; to anyone else the same 404 as a missing one (a
    host page tells nothing the session page does not)."""
    session = load(session_id)
    if not can_manage_session(current_user, session):
        abort(404)
    return session


def _form_page(
    form: SessionForm, session: SharingSession | None, status: int = 200, **extra: Any
) -> Response:
    return render(
        "sharing/form.html",
        status=status,
        form=form,
        session=session,
        cancel_form=extra.pop("cancel_form", None) or CancelForm(formdata=None),
        recording_form=extra.pop("recording_form", None)
        or RecordingForm(formdata=None, recording_url=session.recording_url if session else ""),
        title=localized(session, "title") if session else None,
        now=utcnow(),
        **(
            {"error": None, "slides_error": None, "recording_error": None, "cancel_error": None}
            | extra
        ),
    )


def _on_field(form: Any, refusal: SharingError) -> None:
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response:
    if not can_host_sessions(current_user):
        abort(403)
    if request.method == "GET":
        return _form_page(SessionForm(formdata=None).defaults().prefill(request.args), None)
    form = SessionForm()
    try:
        session = services.create_session(current_user, form.fields())
    except SharingError as refusal:
        _on_field(form, refusal)
        return _form_page(form, None, status=refusal.status, error=refusal.message)
    flash(_("Your session is published. Everyone can answer it now."), "success")
    return redirect(url_for("sharing.detail", session_id=session.id))


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
def edit(session_id: int) -> Response:
    session = managed(session_id)
    if request.method == "GET":
        return _form_page(SessionForm(formdata=None).fill_from(session), session)
    form = SessionForm()
    try:
        services.update_session(current_user, session.id, form.fields())
    except SharingError as refusal:
        _on_field(form, refusal)
        return _form_page(form, load(session_id), status=refusal.status, error=refusal.message)
    flash(_("Session saved. Everyone who answered hears of a new time or place."), "success")
    return redirect(url_for("sharing.detail", session_id=session.id))


@bp.post("/<int:session_id>/cancel")
def cancel(session_id: int) -> Response:
    session = managed(session_id)
    form = CancelForm()
    try:
        services.cancel_session(current_user, session.id, form.reason.data)
    except SharingError as refusal:
        _on_field(form, refusal)
        return _form_page(
            SessionForm(formdata=None).fill_from(session),
            session,
            status=refusal.status,
            cancel_form=form,
            cancel_error=refusal.message,
        )
    flash(_("The session is cancelled. Everyone who answered has been told."), "success")
    return redirect(url_for("sharing.detail", session_id=session.id))


@bp.post("/<int:session_id>/slides")
def upload_slides(session_id: int) -> Response:
    session = managed(session_id)
    upload = request.files.get("slides")
    try:
        materials.attach_slides(
            current_user,
            session.id,
            upload.stream if upload and upload.filename else None,
            upload.filename if upload else None,
        )
    except (SharingError, UploadError) as refusal:
        return _form_page(
            SessionForm(formdata=None).fill_from(session),
            session,
            status=refusal.status,
            slides_error=refusal.message,
        )
    flash(_("Slides attached. Signed-in colleagues can download them."), "success")
    return redirect(url_for("sharing.edit", session_id=session.id, _anchor="materials"))


@bp.post("/<int:session_id>/slides/remove")
def remove_slides(session_id: int) -> Response:
    session = managed(session_id)
    materials.remove_slides(current_user, session.id)
    flash(_("Slides removed."), "success")
    return redirect(url_for("sharing.edit", session_id=session.id, _anchor="materials"))


@bp.post("/<int:session_id>/recording")
def recording(session_id: int) -> Response:
    session = managed(session_id)
    form = RecordingForm()
    try:
        materials.set_recording(current_user, session.id, form.recording_url.data)
    except SharingError as refusal:
        _on_field(form, refusal)
        return _form_page(
            SessionForm(formdata=None).fill_from(session),
            session,
            status=refusal.status,
            recording_form=form,
            recording_error=refusal.message,
        )
    flash(_("Recording link saved."), "success")
    return redirect(url_for("sharing.edit", session_id=session.id, _anchor="materials"))


# Attendance ----------------------------------------------------------------------------------


def _attendance_context(session: SharingSession) -> dict[str, Any]:
    opens, closes = attendance.window(session)
    return {
        "session": session,
        "title": localized(session, "title"),
        "roster": queries.roster(session.id),
        "seats": queries.seats([session.id])[session.id],
        "check_in_url": url_for(
            "sharing.check_in_page",
            session_id=session.id,
            token=attendance.check_in_token(session),
            _external=True,
        ),
        "opens": opens,
        "closes": closes,
        "may_mark": not session.is_cancelled and utcnow() >= opens,
    }


@bp.get("/<int:session_id>/attendance")
def attendance_list(session_id: int) -> Response:
    session = managed(session_id)
    return render("sharing/attendance.html", block="roster", **_attendance_context(session))


@bp.get("/<int:session_id>/check-in-code.svg")
def check_in_code(session_id: int) -> Response:
    """The QR code of the check-in URL, to show in the room (host and HR only: the code is the
    key to checking in)."""
    session = managed(session_id)
    link = url_for(
        "sharing.check_in_page",
        session_id=session.id,
        token=attendance.check_in_token(session),
        _external=True,
    )
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=8, border=2, title=_("Check in"))
    response = Response(svg.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:session_id>/check-in-code")
def new_check_in_code(session_id: int) -> Response:
    session = managed(session_id)
    attendance.new_code(current_user, session.id)
    flash(_("A new check-in code is shown. The old one no longer works."), "success")
    return redirect(url_for("sharing.attendance_list", session_id=session.id))


@bp.post("/<int:session_id>/attendance/<int:user_id>")
def mark(session_id: int, user_id: int) -> Response:
    session = managed(session_id)
    present = request.form.get("present") == "1"
    try:
        attendance.mark(current_user, session.id, user_id, present)
    except SharingError as refusal:
        if is_fragment_request():
            toast(refusal.message, "danger")
            response = Response(refusal.message, status=refusal.status)
            response.headers["HX-Reswap"] = "none"
            return response
        flash(refusal.message, "danger")
        context = _attendance_context(load(session_id))
        return render("sharing/attendance.html", status=refusal.status, **context)
    if is_fragment_request():
        return render(
            "sharing/attendance.html", block="roster", **_attendance_context(load(session_id))
        )
    return redirect(url_for("sharing.attendance_list", session_id=session.id))
