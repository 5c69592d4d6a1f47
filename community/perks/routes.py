"""Perk shop pages: the employee's shop with their redemptions, HR's perks and redemptions, and
the login-required picture route. Thin: parse → service → render."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from community.accounts.queries import departments
from community.core.htmx import is_fragment_request, render, toast
from community.core.params import int_arg, page_arg
from community.core.permissions import hr_required, is_hr
from community.core.sorting import Sort
from community.core.uploads import UploadError
from community.extensions import db
from community.perks import pictures, queries, services
from community.perks.forms import PerkForm
from community.perks.labels import status_label
from community.perks.models import Perk, RedemptionStatus
from community.points import queries as points_queries

bp = Blueprint("perks", __name__, url_prefix="/perks")


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        redemption_status_label=status_label, perk_illustration=pictures.illustration
    )


# The employee's shop ---------------------------------------------------------------------------


def _shop_context() -> dict[str, Any]:
    perks = queries.active_perks()
    return {
        "perks": perks,
        "balance": points_queries.balance(current_user.id),
        "used": queries.redeemed_this_year(current_user.id, [p.id for p in perks]),
        "redemptions": queries.redemptions_of(current_user),
    }


@bp.get("/")
def shop() -> Response:
    return render("perks/shop.html", block="shop", **_shop_context())


@bp.post("/<int:perk_id>/redeem")
def redeem(perk_id: int) -> Response:
    try:
        redemption = services.redeem(current_user, perk_id)
    except services.PerkError as exc:
        message, category, status = exc.message, "danger", exc.status
    else:
        status, category = 200, "success"
        if redemption.status == RedemptionStatus.PENDING:
            message = _(
                "Redeemed %(perk)s. Your points are reserved; HR approves it next.",
                perk=redemption.perk.name,
            )
        else:
            message = _("Redeemed %(perk)s. It is yours.", perk=redemption.perk.name)
    db.session.expire_all()
    if is_fragment_request():
        toast(message, category)
        return render("perks/shop.html", block="shop", status=status, **_shop_context())
    if status >= 400:  # shown on the page itself (a missing perk must answer like any 404)
        return render("perks/shop.html", status=status, error=message, **_shop_context())
    flash(message, category)
    return redirect(url_for("perks.shop"))


@bp.get("/<int:perk_id>/picture")
def picture(perk_id: int) -> Response:
    perk = queries.get_perk(perk_id)
    if not perk.active and not is_hr(current_user):
        abort(404)
    path = pictures.picture_path(perk.picture_file)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=perk.picture_mimetype or "application/octet-stream",
        conditional=True,
        max_age=86400,  # the URL changes with the picture (?v=), so a day is safe
    )
    response.headers["Cache-Control"] = "private, max-age=86400"  # behind login: no shared caches
    return response


# HR: perks -----------------------------------------------------------------------------------


@bp.get("/manage")
@hr_required
def manage() -> Response:
    return render("perks/manage.html", perks=queries.all_perks())


def _checked_picture(form: PerkForm) -> pictures.CheckedPicture | None:
    upload = request.files.get("picture")
    if upload is None or not upload.filename:
        return None
    try:
        return pictures.check_picture(upload.stream)
    except UploadError as exc:
        form.picture.errors = [exc.message]
        raise


def _save(form: PerkForm, perk: Perk | None) -> Response | None:
    """Validate and save; None when the form must be shown again (errors are on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        picture = _checked_picture(form)
        if perk is None:
            perk = services.create_perk(current_user, form.fields(), picture)
            flash(_("Perk %(name)s added to the shop.", name=perk.name), "success")
        else:
            services.update_perk(current_user, perk, form.fields(), picture)
            flash(_("Perk %(name)s saved.", name=perk.name), "success")
    except UploadError:
        return None
    except services.PerkError as exc:
        target = getattr(form, exc.field or "", None)
        if target is not None:
            target.errors = [*target.errors, exc.message]
        else:
            flash(exc.message, "danger")
        return None
    return redirect(url_for("perks.manage"))


@bp.route("/new", methods=["GET", "POST"])
@hr_required
def new() -> Response:
    form = PerkForm()
    done = _save(form, None)
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    return render("perks/form.html", status=status, form=form, perk=None)


@bp.route("/<int:perk_id>/edit", methods=["GET", "POST"])
@hr_required
def edit(perk_id: int) -> Response:
    perk = queries.get_perk(perk_id)
    form = PerkForm(obj=perk)
    done = _save(form, perk)
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    return render("perks/form.html", status=status, form=form, perk=perk)


def _toggle(perk_id: int, active: bool) -> Response:
    perk = queries.get_perk(perk_id)
    services.set_active(current_user, perk, active)
    message = (
        _("%(name)s is offered in the shop again.", name=perk.name)
        if active
        else _("%(name)s is no longer offered in the shop.", name=perk.name)
    )
    if is_fragment_request():
        toast(message)
        return render("perks/manage.html", block="perks", perks=queries.all_perks())
    flash(message, "success")
    return redirect(url_for("perks.manage"))


@bp.post("/<int:perk_id>/activate")
@hr_required
def activate(perk_id: int) -> Response:
    return _toggle(perk_id, True)


@bp.post("/<int:perk_id>/deactivate")
@hr_required
def deactivate(perk_id: int) -> Response:
    return _toggle(perk_id, False)


# HR: redemptions -----------------------------------------------------------------------------


def _redemption_filters() -> queries.RedemptionFilters:
    try:
        status = RedemptionStatus(request.args.get("status") or "")
    except ValueError:
        status = None
    return queries.RedemptionFilters(
        status=status, perk_id=int_arg("perk"), department_id=int_arg("department")
    )


def _redemption_sort(filters: queries.RedemptionFilters) -> Sort:
    return queries.redemption_sorting().parse(
        request.args, default=queries.redemption_default(filters)
    )


def _redemptions_context() -> dict[str, Any]:
    filters = _redemption_filters()
    sort = _redemption_sort(filters)
    page = db.paginate(
        queries.redemptions_for_hr(filters, sort),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return {
        "page": page,
        "filters": filters,
        "sort": sort,
        "counts": queries.redemption_counts(),
        "statuses": list(RedemptionStatus),
        "perks": queries.all_perks(),
        "departments": departments(),
    }


@bp.get("/redemptions")
@hr_required
def redemptions() -> Response:
    return render("perks/redemptions.html", block="results", **_redemptions_context())


def _decide(redemption_id: int, action: Any, done: str) -> Response:
    queries.get_redemption(redemption_id)  # 404 for a missing one
    status, category, message, row_error = 200, "success", done, None
    try:
        action()
    except services.PerkError as exc:
        status, category, message, row_error = exc.status, "danger", exc.message, exc.message
    db.session.expire_all()
    if is_fragment_request():
        toast(message, category)
        filters = _redemption_filters()
        return render(
            "perks/_redemption_row.html",
            status=status,
            redemption=queries.get_redemption(redemption_id),
            row_error=row_error,
            filters=filters,
            sort=_redemption_sort(filters),
        )
    flash(message, category)
    if status >= 400:
        return render("perks/redemptions.html", status=status, **_redemptions_context())
    filters = _redemption_filters()
    return redirect(
        url_for("perks.redemptions", **_redemption_sort(filters).with_args(filters.as_args()))
    )


@bp.post("/redemptions/<int:redemption_id>/approve")
@hr_required
def approve(redemption_id: int) -> Response:
    done = (
        _("Prize handed over; the winner is told.")
        if queries.get_redemption(redemption_id).is_prize
        else _("Redemption approved.")
    )
    return _decide(
        redemption_id, lambda: services.approve_redemption(current_user, redemption_id), done
    )


@bp.post("/redemptions/<int:redemption_id>/reject")
@hr_required
def reject(redemption_id: int) -> Response:
    done = (
        _("Prize rejected; the winner sees your reason.")
        if queries.get_redemption(redemption_id).is_prize
        else _("Redemption rejected; the points went back to the employee.")
    )
    return _decide(
        redemption_id,
        lambda: services.reject_redemption(current_user, redemption_id, request.form.get("reason")),
        done,
    )
