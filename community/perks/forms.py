"""HR's perk form. The picture is checked by content in `perks.pictures`, not by its name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.perks.labels import category_labels
from community.perks.models import PerkCategory
from community.perks.services import MAX_COST, MAX_DESCRIPTION, MAX_LIMIT, MAX_NAME, PerkFields


class PerkForm(FlaskForm):
    name_en = StringField(
        _l("Name (English)"),
        validators=[DataRequired(_l("Enter the perk's name in English.")), Length(max=MAX_NAME)],
    )
    name_zh = StringField(
        _l("Name (Chinese)"),
        validators=[DataRequired(_l("Enter the perk's name in Chinese.")), Length(max=MAX_NAME)],
    )
    description_en = TextAreaField(
        _l("Description (English)"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 3},
    )
    description_zh = TextAreaField(
        _l("Description (Chinese)"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 3},
    )
    category = SelectField(
        _l("Kind of perk"),
        choices=lambda: [SelectChoice(c.value, label) for c, label in category_labels().items()],
        default=PerkCategory.OTHER.value,
        description=_l("Without a picture of its own, the perk shows this kind's illustration."),
    )
    cost_points = IntegerField(
        _l("Cost in points"),
        validators=[
            DataRequired(_l("Enter the cost in points.")),
            NumberRange(
                min=1,
                max=MAX_COST,
                message=_l("The cost must be a whole number of points from 1 to 1,000,000."),
            ),
        ],
    )
    stock = IntegerField(
        _l("Stock"),
        validators=[
            Optional(),
            NumberRange(min=0, max=1_000_000, message=_l("The stock cannot be negative.")),
        ],
        description=_l("Leave empty for unlimited."),
    )
    limit_per_year = IntegerField(
        _l("Limit per person per year"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_LIMIT, message=_l("The yearly limit must be from 1 to 365.")
            ),
        ],
        description=_l(
            "Leave empty for no limit. Counts calendar years; rejected ones do not count."
        ),
    )
    requires_approval = BooleanField(
        _l("HR approves each redemption"),
        default=True,
        description=_l("Otherwise a redemption is fulfilled at once."),
    )
    active = BooleanField(_l("Offered in the shop"), default=True)
    picture = FileField(
        _l("Picture"),
        description=_l("PNG, JPEG or WebP, at most 2 MB. Wide pictures (16:9) look best."),
    )

    def fields(self) -> PerkFields:
        return PerkFields(
            name_en=self.name_en.data or "",
            name_zh=self.name_zh.data or "",
            description_en=self.description_en.data or "",
            description_zh=self.description_zh.data or "",
            cost_points=self.cost_points.data or 0,
            stock=self.stock.data,
            limit_per_year=self.limit_per_year.data,
            requires_approval=bool(self.requires_approval.data),
            active=bool(self.active.data),
            category=self.category.data or PerkCategory.OTHER.value,
        )
