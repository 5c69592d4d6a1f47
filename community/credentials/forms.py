"""Forms: exporting a badge (language, name shown or not) and pasting a credential to check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField


class ExportForm(FlaskForm):
    language = SelectField(
        _l("Language of the credential"),
        choices=[
            SelectChoice("en", "English"),
            SelectChoice("zh_CN", "中文"),
            SelectChoice("both", _l("Both (English / 中文)")),
        ],
        validate_choice=False,  # the service refuses an unknown language, in words
    )
    show_name = BooleanField(_l("Show my name on the credential and its public page"))


class VerifyForm(FlaskForm):
    jwt = TextAreaField(_l("Credential (the text of the .jwt file)"))
