"""HR sets up the forum's categories: the list, a new one, an edit, the order, archiving."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import render
from community.core.permissions import hr_required
from community.extensions import db
from community.forum import categories, queries
from community.forum.categories import CategoryInput
from community.forum.common import ForumError
from community.forum.forms import CategoryForm
from community.forum.models import ForumCategory
from community.forum.views import bp


def _input(form: CategoryForm) -> CategoryInput:
    return CategoryInput(
        slug=form.slug.data or "",
        name=form.name.data or "",
        name_en=form.name_en.data,
        description=form.description.data,
        description_en=form.description_en.data,
        kind=form.kind.data or "discussion",
    )


@bp.get("/categories")
@hr_required
def manage() -> Response:
    return render("forum/categories.html", rows=queries.index())


def _form_page(form: CategoryForm, category: ForumCategory | None) -> Response:
    if form.validate_on_submit():
        try:
            if category is None:
                categories.create(current_user, _input(form))
            else:
                categories.update(current_user, category.id, _input(form))
        except ForumError as error:
            if not error.field:
                raise
            getattr(form, error.field).errors.append(error.message)
            return render("forum/category_form.html", form=form, category=category,
                          status=error.status)  # fmt: skip
        flash(_("The category is saved."), "success")
        return redirect(url_for("forum.manage"), code=303)
    return render("forum/category_form.html", form=form, category=category,
                  status=422 if form.errors else 200)  # fmt: skip


@bp.route("/categories/new", methods=["GET", "POST"])
@hr_required
def new_category() -> Response:
    return _form_page(CategoryForm(), None)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@hr_required
def edit_category(category_id: int) -> Response:
    category = db.session.get(ForumCategory, category_id)
    if category is None:
        abort(404)
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    if request.method == "GET":
        form.kind.data = category.kind.value
    return _form_page(form, category)


@bp.post("/categories/<int:category_id>/move")
@hr_required
def move_category(category_id: int) -> Response:
    categories.move(current_user, category_id, -1 if request.form.get("up") == "1" else 1)
    return redirect(url_for("forum.manage"), code=303)


@bp.post("/categories/<int:category_id>/archive")
@hr_required
def archive_category(category_id: int) -> Response:
    on = request.form.get("on") == "1"
    categories.set_archived(current_user, category_id, on)
    flash(_("The category is archived.") if on else _("The category is open again."), "success")
    return redirect(url_for("forum.manage"), code=303)
