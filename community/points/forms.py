"""HR's points adjustment form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired


class AdjustPointsForm(FlaskForm):
    amount = IntegerField(
        _l("Points (negative to remove)"),
        validators=[InputRequired(message=_l("Please enter a whole number of points."))],
    )
    reason = TextAreaField(_l("Reason (the person sees it)"))
