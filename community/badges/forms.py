"""Forms: HR's levels and referrer-medal thresholds, and a hand-granted badge."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from community.badges import registry

SPARE_LEVEL_ROWS = 2


class LevelRowForm(Form):
    """One level; a row left blank is ignored, so HR adds a level by filling a spare row."""

    threshold = IntegerField(_l("Points from"), validators=[Optional()])
    name_en = StringField(_l("Name (English)"))
    name_zh = StringField(_l("Name (Chinese)"))


class LevelsForm(FlaskForm):
    rows = FieldList(FormField(LevelRowForm), min_entries=1)


class GoldThresholdsForm(FlaskForm):
    bronze = IntegerField(_l("Bronze referrer"), validators=[InputRequired()])
    silver = IntegerField(_l("Silver referrer"), validators=[InputRequired()])
    gold = IntegerField(_l("Gold referrer"), validators=[InputRequired()])


def badge_choices() -> list[tuple[str, str]]:
    """Every badge and tier as "key" or "key:tier", for HR's grant form."""
    choices: list[tuple[str, str]] = [("", str(_l("Choose a badge…")))]
    for badge in registry.BADGES:
        if badge.per_occasion:  # earned on its occasion (a challenge won), never by hand
            continue
        for tier in badge.tier_keys:
            value = f"{badge.key}:{tier}" if tier else badge.key
            choices.append((value, badge.label(tier)))
    return choices


class GrantBadgeForm(FlaskForm):
    badge = SelectField(_l("Badge"), validate_choice=False)
    reason = TextAreaField(_l("Reason (the person sees it)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.badge.choices = badge_choices()

    def badge_and_tier(self) -> tuple[str, str]:
        key, _, tier = (self.badge.data or "").partition(":")
        return key, tier
