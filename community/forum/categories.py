"""Categories, set up by HR: bilingual names and descriptions, an order, a kind ("questions":
new topics there are questions), archiving (no new topics; the old stay readable)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from community.accounts.models import User
from community.core.errors import BAD_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.transaction import committed
from community.extensions import db
from community.forum import common, permissions
from community.forum.common import ForumError
from community.forum.models import CategoryKind, ForumCategory

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class CategoryInput:
    slug: str
    name: str
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    kind: str = "discussion"


def _clean(data: CategoryInput, current: ForumCategory | None) -> CategoryInput:
    slug = (data.slug or "").strip().lower()
    if not SLUG.match(slug):
        raise ForumError(
            _("A short name for links: lower-case letters, digits and dashes."), "slug",
            status=BAD_INPUT,
        )  # fmt: skip
    clash = db.session.scalars(select(ForumCategory).where(ForumCategory.slug == slug)).first()
    if clash is not None and clash is not current:
        raise ForumError(_("Another category uses that short name."), "slug", status=CONFLICT)
    name = " ".join((data.name or "").split())
    if not name or len(name) > 80:
        raise ForumError(_("A name of 1 to 80 characters."), "name", status=BAD_INPUT)
    name_en = " ".join((data.name_en or "").split()) or None
    if name_en and len(name_en) > 80:
        raise ForumError(_("A name of 1 to 80 characters."), "name_en", status=BAD_INPUT)
    if data.kind not in {k.value for k in CategoryKind}:
        raise ForumError(_("Choose a kind."), "kind", status=BAD_INPUT)
    descriptions = []
    for field in ("description", "description_en"):
        text = (getattr(data, field) or "").strip() or None
        if text and len(text) > 500:
            raise ForumError(_("A description has at most 500 characters."), field)
        descriptions.append(text)
    return CategoryInput(slug, name, name_en, descriptions[0], descriptions[1], data.kind)


def _check(actor: User) -> None:
    if not permissions.can_manage_categories(actor):
        raise ForumError(_("Only HR sets up the forum's categories."), status=FORBIDDEN)


def _get(category_id: int) -> ForumCategory:
    category = db.session.get(ForumCategory, category_id, with_for_update=True)
    if category is None:
        raise ForumError(_("No such category."), status=NOT_FOUND)
    return category


def create(actor: User, data: CategoryInput) -> ForumCategory:
    with committed():
        _check(actor)
        clean = _clean(data, None)
        last = db.session.scalar(select(func.max(ForumCategory.position))) or 0
        category = ForumCategory(
            slug=clean.slug, name=clean.name, name_en=clean.name_en,
            description=clean.description, description_en=clean.description_en,
            kind=CategoryKind(clean.kind), position=last + 1, created_at=common.now(),
        )  # fmt: skip
        db.session.add(category)
    return category


def update(actor: User, category_id: int, data: CategoryInput) -> ForumCategory:
    with committed():
        _check(actor)
        category = _get(category_id)
        clean = _clean(data, category)
        category.slug, category.name, category.name_en = clean.slug, clean.name, clean.name_en
        category.description, category.description_en = clean.description, clean.description_en
        category.kind = CategoryKind(clean.kind)
    return category


def move(actor: User, category_id: int, step: int) -> ForumCategory:
    """Move a category one place up (step -1) or down (+1) in the index."""
    if step not in (-1, 1):
        raise ForumError(_("Move one place up or down."), status=BAD_INPUT)
    with committed():
        _check(actor)
        category = _get(category_id)
        ordered = list(
            db.session.scalars(
                select(ForumCategory).order_by(ForumCategory.position, ForumCategory.id)
            )  # fmt: skip
        )
        index = ordered.index(category)
        other = index + step
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, row in enumerate(ordered, start=1):
            row.position = position
    return category


def set_archived(actor: User, category_id: int, archived: bool) -> ForumCategory:
    with committed():
        _check(actor)
        category = _get(category_id)
        category.archived_at = common.now() if archived else None
    return category
