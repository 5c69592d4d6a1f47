"""HR's pages of the API room: the tokens (list, make one, revoke one) and the API's docs.
HR only (403 for anyone else). Thin: parse → service → render; a refusal goes beside its field."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.api import openapi, queries, services
from community.api.errors import ApiError
from community.api.forms import TokenForm
from community.api.models import ApiToken
from community.api.scopes import Scope, scope_description
from community.core.htmx import render
from community.core.permissions import hr_required
from community.core.time import to_local
from community.extensions import db

bp = Blueprint("api", __name__)


def _valid_through(token: ApiToken) -> date | None:
    """The last day a token works, in the company's zone (it expires as the next day begins)."""
    if token.expires_at is None:
        return None
    return (to_local(token.expires_at) - timedelta(seconds=1)).date()


def _tokens_page(
    form: TokenForm, new: services.NewToken | None = None, status: int = 200
) -> Response:
    response = render(
        "api/tokens.html",
        status=status,
        form=form,
        new=new,
        tokens=queries.tokens(),
        scopes=list(Scope),
        scope_description=scope_description,
        valid_through=_valid_through,
    )
    response.headers["Cache-Control"] = "no-store"  # the new token is on this page, once
    return response


@bp.get("/integrations/api-tokens")
@hr_required
def tokens() -> Response:
    return _tokens_page(TokenForm(formdata=None))


@bp.post("/integrations/api-tokens")
@hr_required
def create_token() -> Response:
    form = TokenForm()
    if form.expiry_unreadable():
        form.expires_on.errors = [_("Enter a date like 2026-12-31.")]
        return _tokens_page(form, status=422)
    try:
        new = services.create_token(
            current_user, form.name.data or "", form.scopes.data or [], form.chosen_expiry()
        )
    except ApiError as refusal:
        if refusal.field and refusal.field in form:
            form[refusal.field].errors = [refusal.message]
        else:
            flash(refusal.message, "danger")
        return _tokens_page(form, status=refusal.status)
    # Shown in this answer only (never flashed: the session cookie would carry it).
    return _tokens_page(TokenForm(formdata=None), new=new)


@bp.post("/integrations/api-tokens/<int:token_id>/revoke")
@hr_required
def revoke_token(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id) or abort(404)
    services.revoke_token(token, current_user)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("api.tokens"))


@bp.get("/api/docs")
@hr_required
def docs() -> Response:
    return render("api/docs.html", spec=openapi.document())
