"""Badge pages: the gallery, HR's levels and thresholds page, and the toast for newly earned
badges (a person's profile lives in `community.people`). Thin: parse → service → render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.badges import queries, registry, services
from community.badges.forms import SPARE_LEVEL_ROWS, GoldThresholdsForm, LevelsForm
from community.core.htmx import is_fragment_request, render, toast
from community.core.permissions import hr_required

bp = Blueprint("badges", __name__)


@bp.record_once
def _install(state: Any) -> None:
    app: Flask = state.app
    app.jinja_env.globals.update(badge_info=registry.get, level_progress=queries.level_progress)
    app.context_processor(lambda: {"badge_toasts": badge_toasts})
    app.after_request(_announce)


# Toasts for new badges ---------------------------------------------------------------------


def _toast_text(award: Any) -> str:
    badge = registry.get(award.badge_key)
    name = badge.label(award.tier) if badge else award.badge_key
    return _("New badge: %(badge)s!", badge=name)


def badge_toasts(pending: int | None = None) -> list[dict[str, str]]:
    """For base.html: toasts for badges the signed-in person has not seen yet. They are marked
    seen after the page is sent (`_announce`), so each shows once. `pending` is their number when
    the page already counted them (viewer counts): none pending, no query."""
    if not current_user.is_authenticated:
        return []
    awards = [] if pending == 0 else queries.unannounced(current_user)
    g.announced_badge_ids = [award.id for award in awards]
    return [{"message": _toast_text(award), "category": "success"} for award in awards]


def _announce(response: Response) -> Response:
    """After a page: mark shown toasts announced; an htmx fragment carries them in HX-Trigger."""
    if response.status_code >= 400 or not current_user or not current_user.is_authenticated:
        return response
    ids = g.pop("announced_badge_ids", None)
    if ids is None and is_fragment_request() and response.mimetype == "text/html":
        awards = queries.unannounced(current_user)
        for award in awards:
            toast(_toast_text(award))
        ids = [award.id for award in awards]
    if ids:
        services.mark_announced(ids)
    return response


# Gallery -----------------------------------------------------------------------------------


@bp.get("/badges/")
def gallery() -> Response:
    awards = queries.badges_of(current_user, folded=False)
    earned: dict[str, list[Any]] = {}
    for award in awards:
        earned.setdefault(award.badge_key, []).append(award)
    return render(
        "badges/gallery.html",
        badges=registry.BADGES,
        mine={(award.badge_key, award.tier): award for award in awards},
        earned=earned,
        gold_thresholds=queries.gold_thresholds(),
        progress=queries.level_progress(current_user),
        levels=queries.levels(),
    )


# Levels and thresholds (HR) ----------------------------------------------------------------


def _levels_form() -> LevelsForm:
    form = LevelsForm()
    if request.method == "GET":
        form = LevelsForm(
            data={
                "rows": [
                    {"threshold": lv.threshold, "name_en": lv.name_en, "name_zh": lv.name_zh}
                    for lv in queries.levels()
                ]
            }
        )
        for _ in range(SPARE_LEVEL_ROWS):
            form.rows.append_entry()
    return form


def _levels_page(
    levels_form: LevelsForm | None = None,
    gold_form: GoldThresholdsForm | None = None,
    status: int = 200,
    error: str | None = None,
    gold_error: str | None = None,
) -> Response:
    thresholds = queries.gold_thresholds()
    return render(
        "badges/levels.html",
        status=status,
        form=levels_form or _levels_form(),
        gold_form=gold_form or GoldThresholdsForm(data=thresholds, formdata=None),
        error=error,
        gold_error=gold_error,
    )


@bp.route("/badges/levels", methods=["GET", "POST"])
@hr_required
def levels() -> Response:
    form = _levels_form()
    if request.method == "GET":
        return _levels_page(form)
    if not form.validate():
        return _levels_page(form, status=422, error=_("Thresholds must be whole numbers."))
    rows = [
        services.LevelRow(row.threshold.data, row.name_en.data, row.name_zh.data)
        for row in form.rows
    ]
    try:
        services.save_levels(current_user, rows)
    except services.BadgesError as exc:
        return _levels_page(form, status=exc.status, error=exc.message)
    flash(_("Levels saved."), "success")
    return redirect(url_for("badges.levels"))


@bp.post("/badges/gold")
@hr_required
def gold_thresholds() -> Response:
    form = GoldThresholdsForm()
    if not form.validate():
        return _levels_page(
            gold_form=form, status=422, gold_error=_("Each tier needs a whole number of hires.")
        )
    try:
        services.save_gold_thresholds(
            current_user, form.bronze.data, form.silver.data, form.gold.data
        )
    except services.BadgesError as exc:
        return _levels_page(gold_form=form, status=exc.status, gold_error=exc.message)
    flash(_("Referrer medal thresholds saved."), "success")
    return redirect(url_for("badges.levels"))
