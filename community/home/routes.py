"""The landing page after login."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, url_for
from flask_login import current_user

from community.core.htmx import render
from community.core.permissions import public
from community.home import queries

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render("home/index.html", **queries.dashboard(current_user))


@bp.get("/healthz")
@public
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
