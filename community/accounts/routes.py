"""Login, logout and language. (Other account pages are added by the accounts work.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from community.accounts.forms import LoginForm
from community.accounts.models import User
from community.core.htmx import render
from community.core.i18n import normalise_locale
from community.core.permissions import public
from community.core.time import utcnow
from community.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only allow redirects to paths on this site."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("home.index")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
        if user and user.check_password(form.password.data):
            if not user.is_active:
                flash(_("This account has been deactivated. Please contact HR."), "danger")
                return render("accounts/login.html", form=form, status=403)
            login_user(user)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "danger")
        return render("accounts/login.html", form=form, status=401)
    return render("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/language")
@public
def set_language() -> Response:
    locale = normalise_locale(request.form.get("locale"))
    if locale is None:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))


# Placeholders replaced by the accounts work ---------------------------------------------------
@bp.get("/settings")
def settings() -> Response:
    abort(404)


@bp.get("/people")
def users() -> Response:
    abort(404)
