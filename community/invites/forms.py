"""Invitation forms. The rules (the contact, the job, the limits, the application's fields) live
in the services, so a refusal reads the same from any caller; the forms render the fields and
carry the errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from community.core.i18n import LANGUAGE_NAMES
from community.invites.services import MAX_NOTE


class InviteForm(FlaskForm):
    job_id = SelectField(_l("Job"), coerce=int, validate_choice=False)
    contact = StringField(
        _l("Their e-mail address or mobile number"),
        render_kw={
            "maxlength": 254,
            "autocomplete": "off",
            "placeholder": _l("e.g. li.lei@example.com or 138 0013 8000"),
        },
        description=_l("An address gets an e-mail, a number a text message."),
    )
    locale = RadioField(
        _l("Write to them in"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("A personal note (optional)"),
        render_kw={
            "maxlength": MAX_NOTE,
            "rows": 3,
            "placeholder": _l("Why you thought of them, in a sentence or two."),
        },
    )


# What the person agrees to on their invitation page (the privacy notice is linked beside it).
CONSENT_STATEMENT = _l(
    "I have read the privacy notice and agree that the company stores the details and resume I "
    "give here to consider me for this job."
)


class AcceptForm(FlaskForm):
    name = StringField(_l("Your full name"), render_kw={"maxlength": 120, "autocomplete": "name"})
    email = StringField(_l("E-mail"), render_kw={"maxlength": 254, "autocomplete": "email"})
    phone = StringField(_l("Phone"), render_kw={"maxlength": 32, "autocomplete": "tel"})
    current_employer = StringField(_l("Current employer (optional)"), render_kw={"maxlength": 160})
    current_title = StringField(_l("Current title (optional)"), render_kw={"maxlength": 160})
    resume = FileField(_l("Resume (PDF or Word)"))
    kept_resume = HiddenField()  # a resume held from a try that was not accepted
    resume_url = StringField(_l("…or a link to your resume"), render_kw={"maxlength": 500})
    consent = BooleanField(CONSENT_STATEMENT)


class DeclineForm(FlaskForm):
    never_again = BooleanField(_l("Never invite me again (from anyone at this company)"))
