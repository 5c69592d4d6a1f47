"""Notification pages: the list, mark one read (optionally following its link), mark all read."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core import viewer
from community.core.htmx import is_fragment_request, render, toast
from community.core.links import same_site
from community.notifications import services
from community.notifications.queries import message_for, recent_for

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.record_once
def _install(state: object) -> None:
    app: Flask = state.app  # type: ignore[attr-defined]
    app.jinja_env.globals["notification_text"] = message_for


@bp.get("/")
def index() -> Response:
    return render(
        "notifications/index.html",
        notifications=recent_for(current_user.id, limit=100),
        unread_notifications=viewer.counts()["unread_notifications"],  # as the bell counts
    )


@bp.post("/<int:notification_id>/read")
def read(notification_id: int) -> Response:
    notification = services.mark_read(current_user.id, notification_id)
    if notification is None:
        abort(404)
    target = same_site(notification.link)
    if request.form.get("open") and target:
        return redirect(target)
    if is_fragment_request():
        return render("notifications/_item.html", notification=notification)
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
def read_all() -> Response:
    count = services.mark_all_read(current_user.id)
    message = _("All notifications marked as read.") if count else _("No unread notifications.")
    if is_fragment_request():
        toast(message, "success")
        response = Response(status=204)
        response.headers["HX-Refresh"] = "true"
        return response
    flash(message, "success")
    return redirect(url_for("notifications.index"))
