"""HR's points adjustment form."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Optional, Regexp


def _new_key() -> str:
    return uuid.uuid4().hex


class AdjustPointsForm(FlaskForm):
    amount = IntegerField(
        _l("Points (negative to remove)"),
        validators=[InputRequired(message=_l("Please enter a whole number of points."))],
    )
    reason = TextAreaField(_l("Reason (the person sees it)"))
    # One key per form shown: the ledger keeps it unique, so sending the form twice (a double
    # click, a retry after a lost answer) records the adjustment once.
    key = HiddenField(default=_new_key, validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])
