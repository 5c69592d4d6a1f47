"""Notification pages: the inbox page by page, mark one read (optionally following its link),
mark all read. Over htmx a mark-read answers the changed part and the bell, out of band, so the
unread count in the navigation bar stays right without a reload."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core import viewer
from community.core.htmx import is_fragment_request, render, toast
from community.core.links import same_site
from community.core.params import page_arg
from community.notifications import services
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
