"""The thanks wall (公开感谢): everyone reads it; HR posts announcements and hides posts.
Thin: parse → service → render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import is_fragment_request, render, toast
from community.core.params import page_arg
from community.core.permissions import hr_required
from community.extensions import db
from community.thanks import labels, queries, services
from community.thanks.forms import AnnouncementForm, HideForm

bp = Blueprint("thanks", __name__, url_prefix="/thanks")

PER_PAGE = 10


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        thanks_headline=labels.headline, thanks_hide_form=lambda: HideForm(formdata=None)
    )


def _context(form: AnnouncementForm | None = None, **extra: Any) -> dict[str, Any]:
    page = db.paginate(queries.visible_posts(), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return {
        "page": page,
        "form": form or AnnouncementForm(formdata=None),
        **extra,
    }


@bp.get("/")
def index() -> Response:
    # "Load more" asks htmx for the next page's posts only.
    return render("thanks/index.html", block="posts", **_context())


@bp.post("/announcements")
@hr_required
def announce() -> Response:
    form = AnnouncementForm()
    try:
        services.post_announcement(current_user, form.title.data, form.body.data)
    except services.ThanksError as exc:
        if exc.field in ("title", "body"):
            form[exc.field].errors = [exc.message]
        if is_fragment_request():
            toast(exc.message, "danger")
        else:
            flash(exc.message, "danger")
        return render("thanks/index.html", block="board", status=exc.status, **_context(form))
    message = _("Announcement posted. Everyone has been notified.")
    if is_fragment_request():
        toast(message, "success")
        return render("thanks/index.html", block="board", **_context())
    flash(message, "success")
    return redirect(url_for("thanks.index"))


@bp.post("/<int:post_id>/hide")
@hr_required
def hide(post_id: int) -> Response:
    post = queries.get_post(post_id)
    form = HideForm()
    try:
        services.hide_post(post, current_user, form.reason.data)
    except services.ThanksError as exc:
        if is_fragment_request():
            toast(exc.message, "danger")
            if isinstance(exc, services.ThanksConflict):
                return Response("", status=exc.status)  # hidden already: off the wall too
            return render(
                "thanks/_post.html",
                status=exc.status,
                post=post,
                hide_form=form,
                hide_error=exc.message,
                wall=True,
            )
        flash(exc.message, "danger")
        return render("thanks/index.html", status=exc.status, **_context())
    message = _("Post hidden from the thanks wall.")
    if is_fragment_request():
        toast(message, "success")
        return Response("", status=200)  # the post disappears from the wall
    flash(message, "success")
    return redirect(url_for("thanks.index"))
