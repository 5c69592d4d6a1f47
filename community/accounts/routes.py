"""Account pages: login, logout, language, personal settings and the public set-password page.
(HR's people directory lives in `community.people`.)

Routes stay thin: parse the form, call a function in `services`, render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import Field

from community.accounts import passwords, services
from community.accounts.errors import AccountError
from community.accounts.forms import LoginForm, SetPasswordForm, SettingsForm, role_label
from community.accounts.models import User
from community.core.emails import email_identity
from community.core.htmx import render
from community.core.i18n import current_locale, normalise_locale
from community.core.links import safe_redirect
from community.core.permissions import public
from community.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only allow redirects to paths on this site."""
    return safe_redirect(target, url_for("home.index"))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _address_and_email() -> str:
    # Counted per person: another letter case or plus-tag of one address is the same account.
    email = email_identity((request.form.get("email") or "")[:254])
    return f"{get_remote_address()}|{email}"


def _failed(response: Response) -> bool:
    """Only failed attempts count: colleagues behind one office address can all log in."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], key_func=_address_and_email, deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
def login() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.find_by_credentials(form.email.data, form.password.data)
        if user is not None:
            if not user.is_active:
                flash(_("This account has been deactivated. Please contact HR."), "danger")
                return render("accounts/login.html", form=form, status=403)
            login_user(user)
            services.record_login(user)
            return redirect(safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "danger")
        return render("accounts/login.html", form=form, status=401)
    return render("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    services.end_all_sessions(current_user)
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


# Helpers ------------------------------------------------------------------------------------

bp.add_app_template_global(role_label, "role_label")


def _add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


# Settings -----------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Response:
    user = _actor()
    form = SettingsForm(obj=user)
    if request.method == "GET" and not user.locale:
        form.locale.data = current_locale()
    if form.validate_on_submit():
        try:
            services.update_settings(
                user, form.display_name.data, form.locale.data, form.leaderboard_opt_out.data
            )
        except AccountError as exc:
            _add_error(getattr(form, exc.field or "display_name"), exc.message)
        else:
            session["locale"] = user.locale
            refresh_locale()  # say "saved" in the language just chosen
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.settings"))
    status = 422 if form.is_submitted() else 200
    return render("accounts/settings.html", form=form, status=status)


# Set-password links (public) ----------------------------------------------------------------


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> Response:
    try:
        record = passwords.check_password_token(token)
    except AccountError as exc:
        return _token_refused(exc)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.set_password_with_token(token, form.password.data)
        except AccountError as exc:
            if exc.code is not None:  # the link itself is unusable
                return _token_refused(exc)
            _add_error(form.password, exc.message)
        else:
            flash(
                _("Your password is set. Log in with your work email and the new password."),
                "success",
            )
            return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render("accounts/set_password.html", form=form, person=record.user, status=status)


def _token_refused(error: AccountError) -> Response:
    return render(
        "accounts/set_password.html",
        form=None,
        error=error.message,
        reason=error.code,
        status=error.status,
    )
