"""Notification pages: the list, mark one read (optionally following its link), mark all read."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core import viewer
from community.core.htmx import is_fragment_request, render, toast
from community.notifications import services
from community.notifications.queries import recent_for

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _same_site(target: str | None) -> str | None:
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return None


@bp.app_template_global()
def notification_text(notification: object) -> str:
    return services.message_for(notification)  # type: ignore[arg-type]


@bp.get("/")
def index() -> Response:
    return render(
        "notifications/index.html",
        notifications=recent_for(current_user, limit=100),
        unread_notifications=viewer.counts()["unread_notifications"],  # as the bell counts
    )


@bp.post("/<int:notification_id>/read")
def read(notification_id: int) -> Response:
    notification = services.mark_read(current_user, notification_id)
    if notification is None:
        abort(404)
    if request.form.get("open") and _same_site(notification.link):
        return redirect(notification.link)  # type: ignore[arg-type]
    if is_fragment_request():
        return render("notifications/_item.html", notification=notification)
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
def read_all() -> Response:
    count = services.mark_all_read(current_user)
    message = _("All notifications marked as read.") if count else _("No unread notifications.")
    if is_fragment_request():
        toast(message, "success")
        response = Response(status=204)
        response.headers["HX-Refresh"] = "true"
        return response
    flash(message, "success")
    return redirect(url_for("notifications.index"))
