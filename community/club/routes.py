"""The club's members page, and HR's changes to who is in and who moderates (also reachable
from a person's profile). Thin: parse → `club.services` → back to where HR was. A refusal (a
`ClubError`) is answered by the app's domain-error handler: its message, its 4xx status."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.club import queries, services
from community.club.forms import RemoveForm
from community.core.htmx import render
from community.core.links import safe_redirect
from community.core.permissions import hr_required

bp = Blueprint("club", __name__, url_prefix="/club")


@bp.get("/members")
def members() -> Response:
    return render("club/members.html", members=queries.members(), remove_form=RemoveForm())


def _back(message: str) -> Response:
    flash(message, "success")
    return redirect(safe_redirect(request.form.get("next"), url_for("club.members")), code=303)


@bp.post("/members/<int:user_id>/appoint")
@hr_required
def appoint(user_id: int) -> Response:
    row = services.appoint(current_user, user_id)
    return _back(_("%(name)s is now a member of the referrer club.", name=row.user.shown_name))


@bp.post("/members/<int:user_id>/remove")
@hr_required
def remove(user_id: int) -> Response:
    row = services.remove(current_user, user_id, RemoveForm().reason.data)
    return _back(_("%(name)s has left the referrer club.", name=row.user.shown_name))


@bp.post("/members/<int:user_id>/moderator")
@hr_required
def moderator(user_id: int) -> Response:
    on = request.form.get("on") == "1"
    row = services.set_moderator(current_user, user_id, on)
    name = row.user.shown_name
    return _back(
        _("%(name)s now moderates the club.", name=name)
        if on
        else _("%(name)s no longer moderates the club.", name=name)
    )
