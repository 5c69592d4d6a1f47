"""What everyone signed in does with sessions: the list, one session, answering (RSVP) and taking
it back, the .ics invitation, the slides, checking in with the room's code, and one's private
calendar feed (the feed itself is the one page open without login: its token is the key).
Thin: load → service → render."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_skeleton
from flask import Response, abort, current_app, flash, redirect, send_file, url_for
from flask_babel import force_locale, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from community.core.htmx import is_fragment_request, render, toast
from community.core.localized import localized
from community.core.params import page_arg
from community.core.permissions import public
from community.core.time import to_local, utcnow
from community.sharing import attendance, calendar, materials, queries, services
from community.sharing.models import RsvpStatus, SharingSession
from community.sharing.permissions import can_host_sessions, can_manage_session
from community.sharing.rules import SharingError
from community.sharing.views import bp


def clock_time(moment: datetime) -> str:
    """A stored time as the reader writes a time of day, in the company's zone."""
    return format_time(to_local(moment), "short", rebase=False)


def day(moment: datetime, with_year: bool = False) -> str:
    """A stored time's day (weekday, month, day) as the reader writes it, in the company's zone."""
    skeleton = "yMMMEd" if with_year else "MMMEd"
    return format_skeleton(skeleton, to_local(moment), locale=get_locale() or "en")


def when(session: SharingSession) -> str:
    """ "Thu, Dec 10, 15:00 – 16:00" in the reader's language, the company's zone."""
    with_year = to_local(session.starts_at).year != to_local(utcnow()).year
    return f"{day(session.starts_at, with_year)} {clock_time(session.starts_at)}–{clock_time(session.ends_at)}"


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(sharing_clock=clock_time, sharing_when=when, sharing_day=day)


def load(session_id: int) -> SharingSession:
    session = queries.get_session(session_id)
    if session is None:
        abort(404)
    return session


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page of another room when it exists (the forum's topic, wired at its merge)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def sees_link(session: SharingSession, answer: Any) -> bool:
    """The online link is for people with a seat (or who walked in), the host and HR."""
    if can_manage_session(current_user, session):
        return True
    return answer is not None and answer.status in (RsvpStatus.GOING, RsvpStatus.WALK_IN)


def detail_context(session: SharingSession) -> dict[str, Any]:
    now = utcnow()
    answer = queries.answer_of(current_user.id, session.id)
    counts = queries.seats([session.id])[session.id]
    return {
        "session": session,
        "title": localized(session, "title"),
        "description": localized(session, "description"),
        "answer": answer,
        "position": services.waitlist_position(answer) if answer else None,
        "seats": counts,
        "free": max(session.capacity - counts.going, 0),
        "going": queries.going_people(session.id),
        "now": now,
        "started": session.starts_at <= now,
        "ended": session.ends_at <= now,
        "manages": can_manage_session(current_user, session),
        "shows_link": sees_link(session, answer),
        "has_slides": materials.slides_path(session) is not None,
        "forum_url": optional_url("forum.topic", topic_id=session.forum_topic_id)
        if session.forum_topic_id
        else None,
        "error": None,
    }


@bp.get("/")
def index() -> Response:
    now = utcnow()
    lists = queries.session_lists(current_user.id, now, page_arg())
    shown = [*lists.upcoming, *lists.past.items]
    return render(
        "sharing/list.html",
        lists=lists,
        seats=queries.seats(s.id for s in shown),
        answers=queries.answers_of(current_user.id, (s.id for s in shown)),
        now=now,
        may_host=can_host_sessions(current_user),
    )


@bp.get("/<int:session_id>")
def detail(session_id: int) -> Response:
    return render("sharing/detail.html", **detail_context(load(session_id)))


def _refused(session: SharingSession, refusal: SharingError) -> Response:
    if is_fragment_request():
        toast(refusal.message, "danger")
        response = Response(refusal.message, status=refusal.status)
        response.headers["HX-Reswap"] = "none"
        return response
    context = detail_context(session) | {"error": refusal.message}
    return render("sharing/detail.html", status=refusal.status, **context)


def _answered(session: SharingSession, message: str) -> Response:
    if is_fragment_request():
        toast(message, "success")
        return render("sharing/detail.html", block="rsvp", **detail_context(session))
    flash(message, "success")
    return redirect(url_for("sharing.detail", session_id=session.id))


@bp.post("/<int:session_id>/rsvp")
def rsvp(session_id: int) -> Response:
    session = load(session_id)
    try:
        answer = services.rsvp(current_user, session.id)
    except SharingError as refusal:
        return _refused(session, refusal)
    if answer.status == RsvpStatus.GOING:
        message = _("You are going. We will remind you the day before and an hour before.")
    else:
        position = services.waitlist_position(answer) or 1
        if position == 1:
            message = _(
                "The session is full: you are first on the waitlist. The next seat that comes free is yours, and we tell you."
            )
        else:
            message = _(
                "The session is full: you are number %(num)d on the waitlist. Seats that come free go to the first in line, and we tell them.",
                num=position,
            )
    return _answered(session, message)


@bp.post("/<int:session_id>/rsvp/cancel")
def cancel_rsvp(session_id: int) -> Response:
    session = load(session_id)
    try:
        services.cancel_rsvp(current_user, session.id)
    except SharingError as refusal:
        return _refused(session, refusal)
    return _answered(session, _("Your answer is taken back. Thank you for freeing the seat."))


@bp.get("/<int:session_id>/invite.ics")
def invitation(session_id: int) -> Response:
    session = load(session_id)
    answer = queries.answer_of(current_user.id, session.id)
    body = calendar.session_invitation(session, with_link=sees_link(session, answer))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="session-{session.id}.ics"'
    return response


@bp.get("/<int:session_id>/slides")
def slides(session_id: int) -> Response:
    """The slides, for signed-in people only (the login rule of every route)."""
    session = load(session_id)
    path = materials.slides_path(session)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=materials.PDF_MIMETYPE,
        as_attachment=True,
        download_name=session.slides_filename or "slides.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:session_id>/check-in/<token>")
def check_in_page(session_id: int, token: str) -> Response:
    """What the room's code opens: the session and one button, "I'm here" (a GET changes
    nothing)."""
    session = load(session_id)
    problem = None
    try:
        attendance.read_token(session, token)
    except SharingError as refusal:
        problem = refusal
    answer = queries.answer_of(current_user.id, session.id)
    return render(
        "sharing/check_in.html",
        status=problem.status if problem else 200,
        session=session,
        title=localized(session, "title"),
        token=token,
        answer=answer,
        problem=problem.message if problem else None,
    )


@bp.post("/<int:session_id>/check-in/<token>")
def check_in(session_id: int, token: str) -> Response:
    session = load(session_id)
    try:
        attendance.check_in(current_user, session.id, token)
    except SharingError as refusal:
        return render(
            "sharing/check_in.html",
            status=refusal.status,
            session=session,
            title=localized(session, "title"),
            token=token,
            answer=queries.answer_of(current_user.id, session.id),
            problem=refusal.message,
        )
    flash(_("You are checked in. Enjoy the session!"), "success")
    return redirect(url_for("sharing.detail", session_id=session.id))


@bp.get("/calendar")
def my_calendar() -> Response:
    feed = calendar.ensure_feed(current_user)
    return render(
        "sharing/calendar.html",
        feed_url=url_for("sharing.feed", token=feed.token, _external=True),
    )


@bp.post("/calendar/reset")
def reset_calendar() -> Response:
    calendar.reset_feed(current_user)
    flash(_("Your calendar has a new address. The old one no longer works."), "success")
    return redirect(url_for("sharing.my_calendar"))


@bp.get("/calendar/<token>.ics")
@public
def feed(token: str) -> Response:
    """A person's sessions for their calendar app, opened by the secret token alone."""
    owner = calendar.feed_owner(token)
    if owner is None:
        abort(404)
    with force_locale(owner.locale or current_app.config["DEFAULT_LOCALE"]):
        body = calendar.feed(owner)  # in the owner's language, whoever's app fetches it
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
