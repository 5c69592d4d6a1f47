"""Account pages: login, logout, language, personal settings, the HR people directory (add,
import, deactivate, set-password links), departments and the public set-password page.

Routes stay thin: parse the form, call a function in `services`, render.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
from wtforms import Field, SelectChoice

from community.accounts import queries, services
from community.accounts.forms import (
    ROLE_LABELS,
    DepartmentForm,
    ImportForm,
    LoginForm,
    NewUserForm,
    SetPasswordForm,
    SettingsForm,
    role_label,
)
from community.accounts.models import Department, User
from community.accounts.services import AccountError, PasswordTokenError
from community.core.htmx import is_fragment_request, render, toast
from community.core.i18n import current_locale, normalise_locale
from community.core.permissions import hr_required, public
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
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _address_and_email() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
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
            user.last_login_at = utcnow()
            db.session.commit()
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

IMPORT_MAX_BYTES = 2 * 1024 * 1024

bp.add_app_template_global(role_label, "role_label")


def _add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _people_url(target: str | None) -> str:
    """Where to go back to after an action on the people page (only a /people path)."""
    if target and target.startswith("/people") and safe_next(target) == target:
        return target
    return url_for("accounts.users")


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


# People directory (HR) ----------------------------------------------------------------------


def _people_page(status: int = 200, list_url: str | None = None) -> Response:
    filters = queries.PeopleFilter.from_args(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pagination = queries.search_people(filters, page, current_app.config["ITEMS_PER_PAGE"])
    # A history-restore request wants the whole page even though it comes from htmx.
    block = None if request.headers.get("HX-History-Restore-Request") else "results"
    return render(
        "accounts/people.html",
        block=block,
        status=status,
        filters=filters,
        pagination=pagination,
        departments=queries.departments(),
        role_labels=ROLE_LABELS,
        list_url=list_url or request.full_path.rstrip("?"),
    )


@bp.get("/people")
@hr_required
def users() -> Response:
    return _people_page()


def _after_person_action(person: User, message: str, category: str, status: int) -> Response:
    """Answer a row action: the refreshed row for htmx, otherwise a redirect (or a 4xx page)."""
    list_url = _people_url(request.form.get("next"))
    if is_fragment_request():
        toast(message, category)
        return render("accounts/_person_row.html", status=status, person=person, list_url=list_url)
    flash(message, category)
    if status >= 400:
        return _people_page(status=status, list_url=url_for("accounts.users"))
    return redirect(list_url)


@bp.post("/people/<int:user_id>/deactivate")
@hr_required
def deactivate(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    try:
        services.deactivate_user(person, _actor())
    except AccountError as exc:
        return _after_person_action(person, exc.message, "danger", 409)
    message = _(
        "%(name)s is deactivated: they can no longer log in, and their history stays.",
        name=person.shown_name,
    )
    return _after_person_action(person, message, "success", 200)


@bp.post("/people/<int:user_id>/reactivate")
@hr_required
def reactivate(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    services.reactivate_user(person, _actor())
    message = _("%(name)s can log in again.", name=person.shown_name)
    return _after_person_action(person, message, "success", 200)


@bp.post("/people/<int:user_id>/password-link")
@hr_required
def password_link(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    try:
        _token, link = services.issue_password_link(person, _actor())
    except AccountError as exc:
        return _after_person_action(person, exc.message, "danger", 409)
    return render("accounts/password_link.html", person=person, link=link, created=False)


@bp.route("/people/new", methods=["GET", "POST"])
@hr_required
def new_user() -> Response:
    form = NewUserForm()
    all_departments = queries.departments()
    form.department.choices = [SelectChoice("", _("Choose a department…"))] + [
        SelectChoice(str(d.id), d.name) for d in all_departments
    ]
    if form.validate_on_submit():
        department = db.session.get(Department, int(form.department.data))
        try:
            person, link = services.create_user(
                form.email.data, form.name.data, form.role.data, department, actor=_actor()
            )
        except AccountError as exc:
            _add_error(getattr(form, exc.field or "email"), exc.message)
        else:
            return render("accounts/password_link.html", person=person, link=link, created=True)
    status = 422 if form.is_submitted() else 200
    return render(
        "accounts/new_user.html", form=form, has_departments=bool(all_departments), status=status
    )


@bp.route("/people/import", methods=["GET", "POST"])
@hr_required
def import_users() -> Response:
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        data = form.file.data.read(IMPORT_MAX_BYTES + 1)
        if len(data) > IMPORT_MAX_BYTES:
            _add_error(
                form.file,
                _(
                    "The file is larger than %(size)s MB. Split it into smaller files.",
                    size=IMPORT_MAX_BYTES // (1024 * 1024),
                ),
            )
        else:
            try:
                text = services.decode_csv(data)
            except AccountError as exc:
                _add_error(form.file, exc.message)
            else:
                result = services.import_users_csv(text, actor=_actor())
                status = 200 if result.ok else 422
    if form.errors:
        status = 422
    return render("accounts/import.html", form=form, result=result, status=status)


@bp.route("/people/departments", methods=["GET", "POST"])
@hr_required
def departments() -> Response:
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            department = services.create_department(form.name.data, actor=_actor())
        except AccountError as exc:
            _add_error(form.name, exc.message)
        else:
            flash(_("Department “%(name)s” added.", name=department.name), "success")
            return redirect(url_for("accounts.departments"))
    status = 422 if form.is_submitted() else 200
    return render(
        "accounts/departments.html",
        form=form,
        departments=queries.departments_with_counts(),
        status=status,
    )


# Set-password links (public) ----------------------------------------------------------------


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> Response:
    try:
        record = services.check_password_token(token)
    except PasswordTokenError as exc:
        return _token_refused(exc)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password_with_token(token, form.password.data)
        except PasswordTokenError as exc:
            return _token_refused(exc)
        except AccountError as exc:
            _add_error(form.password, exc.message)
        else:
            flash(
                _("Your password is set. Log in with your work email and the new password."),
                "success",
            )
            return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render("accounts/set_password.html", form=form, person=record.user, status=status)


def _token_refused(error: PasswordTokenError) -> Response:
    status = 404 if error.reason == "unknown" else 410
    return render(
        "accounts/set_password.html",
        form=None,
        error=error.message,
        reason=error.reason,
        status=status,
    )
