"""Person pages. Thin: parse → the owning room's service → render. URLs are those of wave 1
(/people…, /people/<id>/profile), now under one blueprint."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import Field, SelectChoice

from community.accounts import imports, passwords, queries, services
from community.accounts.errors import AccountError
from community.accounts.forms import (
    IMPORT_MAX_BYTES,
    ROLE_LABELS,
    DepartmentForm,
    ImportForm,
    NewUserForm,
    PersonForm,
)
from community.accounts.models import Department, User
from community.badges import queries as badge_queries
from community.badges import registry
from community.badges import services as badge_services
from community.badges.forms import GrantBadgeForm
from community.club import queries as club_queries
from community.club.forms import RemoveForm
from community.core.htmx import is_fragment_request, render, toast
from community.core.links import same_site
from community.core.localized import language_of, localized
from community.core.params import int_arg, page_arg, parse_int
from community.core.permissions import hr_required, is_hr
from community.extensions import db
from community.leaderboards import reads, visibility
from community.leaderboards.kinds import COMPANY, department_scope
from community.points import queries as points_queries
from community.points import services as points_services
from community.points.causes import causes_for
from community.points.forms import AdjustPointsForm

bp = Blueprint("people", __name__, url_prefix="/people")

PROFILE_PERIODS = {"month": _l("This month"), "year": _l("This year"), "all": _l("All time")}


def _add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _list_url(target: str | None) -> str:
    """Where to go back to after an action on the people page (only a /people path)."""
    target = same_site(target)
    if target and target.startswith("/people"):
        return target
    return url_for("people.index")


# Directory (HR) -----------------------------------------------------------------------------


def _people_page(status: int = 200, list_url: str | None = None) -> Response:
    # The department id is re-read bounded: from_args takes any digits, the column holds int4.
    filters = replace(
        queries.PeopleFilter.from_args(request.args), department_id=int_arg("department")
    )
    sort = queries.PEOPLE_SORTING.parse(request.args)
    page = page_arg()
    pagination = queries.search_people(filters, page, current_app.config["ITEMS_PER_PAGE"], sort)
    # A history-restore request wants the whole page even though it comes from htmx.
    block = None if request.headers.get("HX-History-Restore-Request") else "results"
    return render(
        "people/index.html",
        block=block,
        status=status,
        filters=filters,
        sort=sort,
        pagination=pagination,
        departments=queries.departments(),
        role_labels=ROLE_LABELS,
        list_url=list_url or request.full_path.rstrip("?"),
    )


@bp.get("")
@hr_required
def index() -> Response:
    return _people_page()


def _after_person_action(person: User, message: str, category: str, status: int) -> Response:
    """Answer a row action: the refreshed row for htmx, otherwise a redirect (or a 4xx page)."""
    list_url = _list_url(request.form.get("next"))
    if is_fragment_request():
        toast(message, category)
        return render("people/_person_row.html", status=status, person=person, list_url=list_url)
    flash(message, category)
    if status >= 400:
        return _people_page(status=status, list_url=url_for("people.index"))
    return redirect(list_url)


@bp.post("/<int:user_id>/deactivate")
@hr_required
def deactivate(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    try:
        services.deactivate_user(person, _actor())
    except AccountError as exc:
        return _after_person_action(person, exc.message, "danger", exc.status)
    message = _(
        "%(name)s is deactivated: they can no longer log in, and their history stays.",
        name=person.shown_name,
    )
    return _after_person_action(person, message, "success", 200)


@bp.post("/<int:user_id>/reactivate")
@hr_required
def reactivate(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    services.reactivate_user(person, _actor())
    message = _("%(name)s can log in again.", name=person.shown_name)
    return _after_person_action(person, message, "success", 200)


@bp.post("/<int:user_id>/password-link")
@hr_required
def password_link(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    try:
        _token, link = passwords.issue_password_link(person, _actor())
    except AccountError as exc:
        return _after_person_action(person, exc.message, "danger", exc.status)
    return render("people/password_link.html", person=person, link=link, created=False)


@bp.route("/new", methods=["GET", "POST"])
@hr_required
def new() -> Response:
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
            return render("people/password_link.html", person=person, link=link, created=True)
    status = 422 if form.is_submitted() else 200
    return render(
        "people/new_user.html", form=form, has_departments=bool(all_departments), status=status
    )


@bp.route("/import", methods=["GET", "POST"])
@hr_required
def import_csv() -> Response:
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
                text = imports.decode_csv(data)
            except AccountError as exc:
                _add_error(form.file, exc.message)
            else:
                result = imports.import_users_csv(text, actor=_actor())
                status = 200 if result.ok else 422
    if form.errors:
        status = 422
    return render("people/import.html", form=form, result=result, status=status)


@bp.route("/departments", methods=["GET", "POST"])
@hr_required
def departments() -> Response:
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            department = services.create_department(
                form.name.data, actor=_actor(), name_en=form.name_en.data
            )
        except AccountError as exc:
            _add_error(getattr(form, exc.field or "name"), exc.message)
        else:
            name = localized(department, "name")
            flash(_("Department “%(name)s” added.", name=name), "success")
            return redirect(url_for("people.departments"))
    status = 422 if form.is_submitted() else 200
    return render(
        "people/departments.html",
        form=form,
        departments=queries.departments_with_counts(),
        status=status,
    )


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@hr_required
def edit_department(department_id: int) -> Response:
    department = queries.get_department_or_404(department_id)
    form = DepartmentForm()
    if request.method == "GET":
        english_only = language_of(department.name) == "en" and not department.name_en
        form.name.data = "" if english_only else department.name
        form.name_en.data = department.name if english_only else department.name_en
    elif form.validate_on_submit():
        try:
            services.rename_department(
                department, form.name.data, form.name_en.data, actor=_actor()
            )
        except AccountError as exc:
            _add_error(getattr(form, exc.field or "name"), exc.message)
        else:
            name = localized(department, "name")
            flash(_("Department “%(name)s” saved.", name=name), "success")
            return redirect(url_for("people.departments"))
    status = 422 if form.is_submitted() else 200
    return render("people/department_edit.html", form=form, department=department, status=status)


# Profile ------------------------------------------------------------------------------------


def ranks_visible(person: User) -> bool:
    """Others see a person's ranks unless they are off the public boards; they and HR always do."""
    return person.id == current_user.id or is_hr(current_user) or not visibility.is_hidden(person)


def _ranks(person: User) -> dict[str, Any] | None:
    if not ranks_visible(person):
        return None
    scopes = [("company", COMPANY)]
    if person.department_id:
        scopes.append(("department", department_scope(person.department_id)))
    found: dict[str, Any] = {}
    for name, scope in scopes:
        for period in PROFILE_PERIODS:
            rank = reads.rank_of(person, scope, period)
            if rank is reads.UNAVAILABLE:
                return {"unavailable": True}
            found[f"{name}:{period}"] = rank
    return found


def _person_form(person: User, form: PersonForm | None = None) -> PersonForm:
    """HR's role / department / manager form for `person`, with its choices."""
    if form is None:
        form = PersonForm(
            formdata=None,
            data={
                "role": person.role.value,
                "department": str(person.department_id or ""),
                "manager": str(person.manager_id or ""),
            },
        )
    form.department.choices = [SelectChoice("", _("Choose a department…"))] + [
        SelectChoice(str(d.id), d.name) for d in queries.departments()
    ]
    form.manager.choices = [SelectChoice("", _("No manager"))] + [
        SelectChoice(str(u.id), f"{u.name} · {u.email}")
        for u in queries.active_people()
        if u.id != person.id
    ]
    return form


def _profile(
    person: User,
    status: int = 200,
    grant_form: GrantBadgeForm | None = None,
    adjust_form: AdjustPointsForm | None = None,
    grant_error: str | None = None,
    adjust_error: str | None = None,
    person_form: PersonForm | None = None,
    person_error: AccountError | None = None,
    revoke_error: str | None = None,
    revoke_award_id: int | None = None,
) -> Response:
    hr = is_hr(current_user)
    changes = queries.changes_of(person) if hr else []
    history = (
        points_queries.history(person.id, limit=10) if hr or person.id == current_user.id else []
    )
    return render(
        "people/profile.html",
        status=status,
        person=person,
        progress=badge_queries.level_progress(person),
        awards=badge_queries.badges_of(person),
        ranks=_ranks(person),
        periods=PROFILE_PERIODS,
        hidden=visibility.is_hidden(person),
        history=history,
        history_causes=causes_for(history),
        grant_form=grant_form or (GrantBadgeForm(formdata=None) if hr else None),
        adjust_form=adjust_form or (AdjustPointsForm(formdata=None) if hr else None),
        grant_error=grant_error,
        adjust_error=adjust_error,
        person_form=_person_form(person, person_form) if hr else None,
        person_error=person_error,
        revoke_error=revoke_error,
        revoke_award_id=revoke_award_id,
        changes=changes,
        change_names=queries.names_for_changes(changes),
        role_labels=ROLE_LABELS,
        club=club_queries.membership_of(person.id),
        club_remove_form=RemoveForm(formdata=None) if hr else None,
    )


@bp.get("/<int:user_id>/profile")
def profile(user_id: int) -> Response:
    return _profile(badge_queries.get_person(user_id, current_user))


def _chosen_id(raw: str | None) -> int | None:
    """A select's id: None when nothing was chosen, 0 (no row's id) when it is unusable."""
    if not (raw or "").strip():
        return None
    return parse_int(raw) or 0


@bp.post("/<int:user_id>/account")
@hr_required
def update_account(user_id: int) -> Response:
    person = queries.get_user_or_404(user_id)
    form = PersonForm()
    name = person.shown_name  # read before the commit: nothing after it may fail
    try:
        changes = services.update_person(
            person,
            _actor(),
            role=form.role.data,
            department_id=_chosen_id(form.department.data),
            manager_id=_chosen_id(form.manager.data),
        )
    except AccountError as exc:
        db.session.rollback()
        target = getattr(form, exc.field or "", None)
        if target is not None:
            _add_error(target, exc.message)
        return _profile(person, status=exc.status, person_form=form, person_error=exc)
    if not changes:
        flash(_("Nothing changed for %(name)s.", name=name), "info")
        return redirect(url_for("people.profile", user_id=user_id))
    return _done(user_id, _("Saved the changes for %(name)s.", name=name))


def _done(user_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("people.profile", user_id=user_id))


@bp.post("/<int:user_id>/badges")
@hr_required
def grant_badge(user_id: int) -> Response:
    person = badge_queries.get_person(user_id, current_user)
    form = GrantBadgeForm()
    key, tier = form.badge_and_tier()
    name = person.shown_name  # read before the commit: nothing after it may fail
    try:
        award = badge_services.grant_badge(current_user, person, key, form.reason.data, tier)
    except badge_services.BadgesError as exc:
        return _profile(person, status=exc.status, grant_form=form, grant_error=exc.message)
    badge = registry.get(award.badge_key)
    return _done(
        user_id,
        _(
            "%(name)s now has the badge %(badge)s.",
            name=name,
            badge=badge.label(award.tier) if badge else award.badge_key,
        ),
    )


@bp.post("/<int:user_id>/badges/<int:award_id>/revoke")
@hr_required
def revoke_badge(user_id: int, award_id: int) -> Response:
    person = badge_queries.get_person(user_id, current_user)
    award = badge_queries.award_of(person.id, award_id)
    badge = registry.get(award.badge_key)
    label = badge.label(award.tier) if badge else award.badge_key
    name = person.shown_name  # read before the commit: nothing after it may fail
    try:
        badge_services.revoke_badge(current_user, award, request.form.get("reason"))
    except badge_services.BadgesError as exc:
        return _profile(
            person, status=exc.status, revoke_error=exc.message, revoke_award_id=award.id
        )
    return _done(user_id, _("Revoked the badge %(badge)s from %(name)s.", badge=label, name=name))


@bp.post("/<int:user_id>/points")
@hr_required
def adjust_points(user_id: int) -> Response:
    person = badge_queries.get_person(user_id, current_user)
    form = AdjustPointsForm()
    if not form.validate():
        return _profile(
            person,
            status=422,
            adjust_form=form,
            adjust_error=_("Please enter a whole number of points."),
        )
    name = person.shown_name  # read before the commit: nothing after it may fail
    try:
        done = points_services.adjust_points(
            current_user,
            person,
            form.amount.data,
            form.reason.data,
            idempotency_key=form.key.data or None,
        )
    except points_services.PointsError as exc:
        return _profile(person, status=exc.status, adjust_form=form, adjust_error=exc.message)
    if not done.recorded:
        flash(_("This adjustment was already recorded; it was not made twice."), "info")
        return redirect(url_for("people.profile", user_id=user_id))
    return _done(user_id, _("Points adjusted for %(name)s.", name=name))
