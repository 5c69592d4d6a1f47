"""Notification pages: the inbox page by page, mark one read (optionally following its link),
mark all read, and the person's own choice of how to hear about each category. Over htmx a mark-read answers the changed part and the bell, out of band, so the
unread count in the navigation bar stays right without a reload."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core import viewer
from community.core.htmx import is_fragment_request, render, toast
from community.core.links import same_site
from community.core.params import page_arg
from community.notifications import services
from community.notifications.categories import (
    Category,
    Delivery,
    category_hint,
    category_label,
    delivery_label,
)
from community.notifications.preferences import choices_for
from community.notifications.queries import get_own, page_for, shown

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.record_once
def _install(state: object) -> None:
    app: Flask = state.app  # type: ignore[attr-defined]
    app.jinja_env.globals["notification_shown"] = shown


def _unread() -> int:
    return viewer.counts()["unread_notifications"]  # as the bell counts


def _board(**extra: Any) -> dict[str, Any]:
    return {"page": page_for(current_user.id, page_arg()), "unread": _unread(), **extra}


def _back() -> Response:
    page = page_arg()
    return redirect(url_for("notifications.index", page=page if page > 1 else None))


@bp.get("/")
def index() -> Response:
    return render("notifications/index.html", block="board", **_board())


@bp.post("/<int:notification_id>/read")
def read(notification_id: int) -> Response:
    notification = get_own(current_user.id, notification_id)
    services.mark_read(notification)
    target = same_site(notification.link)
    if request.form.get("open") and target:
        return redirect(target)
    if is_fragment_request():
        return render("notifications/_item_read.html", notification=notification, unread=_unread())
    return _back()


@bp.post("/read-all")
def read_all() -> Response:
    count = services.mark_all_read(current_user.id)
    message = _("All notifications marked as read.") if count else _("No unread notifications.")
    if is_fragment_request():
        toast(message, "success")
        return render("notifications/index.html", block="board", **_board(oob_bell=True))
    flash(message, "success")
    return _back()


def _preferences_page(
    chosen: dict[str, str], status: int = 200, error: str | None = None, field: str | None = None
) -> Response:
    return render(
        "notifications/preferences.html",
        status=status,
        categories=[(c, category_label(c), category_hint(c)) for c in Category],
        deliveries=[(d, delivery_label(d)) for d in Delivery],
        chosen=chosen,
        error=error,
        error_field=field,
        digest_hour=current_app.config["DIGEST_HOUR"],
    )


@bp.route("/settings", methods=["GET", "POST"])
def preferences() -> Response:
    """The person's own choices, never anyone else's: no id is read from the request."""
    if request.method == "GET":
        current = choices_for(current_user.id)
        return _preferences_page({c.value: d.value for c, d in current.items()})
    sent = {c.value: request.form.get(c.value, "") for c in Category}
    try:
        services.save_preferences(current_user.id, sent)
    except services.PreferenceError as refused:
        return _preferences_page(sent, 422, refused.message, refused.field)
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("notifications.preferences"))
