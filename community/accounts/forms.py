"""Account forms."""

from __future__ import annotations

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from community.accounts.models import Role
from community.accounts.passwords import PASSWORD_MAX, PASSWORD_MIN
from community.accounts.services import DEPARTMENT_MAX, NAME_MAX
from community.core.i18n import LANGUAGE_NAMES

# The largest people CSV HR may upload.
IMPORT_MAX_BYTES = 2 * 1024 * 1024

ROLE_LABELS = {
    Role.EMPLOYEE: _l("Employee"),
    Role.MANAGER: _l("Manager"),
    Role.HR: _l("HR"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS.get(Role(role), role))


class LoginForm(FlaskForm):
    email = EmailField(_l("Work email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class SettingsForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        validators=[Optional(), Length(max=NAME_MAX)],
        description=_l("How other people see you. Leave empty to use your name."),
    )
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, label) for code, label in LANGUAGE_NAMES.items()],
        validators=[DataRequired()],
    )
    leaderboard_opt_out = BooleanField(_l("Hide me from public leaderboards"))


class NewUserForm(FlaskForm):
    email = EmailField(
        _l("Work email"),
        validators=[DataRequired(_l("Enter the person's work email.")), Length(max=254)],
    )
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter the person's name.")), Length(max=NAME_MAX)],
    )
    department = SelectField(
        _l("Department"),
        validators=[DataRequired(_l("Choose a department."))],
    )  # choices are set by the view from the departments table
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        default=Role.EMPLOYEE.value,
        validators=[DataRequired()],
    )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file to upload."))])


class DepartmentForm(FlaskForm):
    """A department's name in Chinese and in English; at least one (checked by the service)."""

    name = StringField(_l("Department name (Chinese)"), validators=[Length(max=DEPARTMENT_MAX)])
    name_en = StringField(_l("Department name (English)"), validators=[Length(max=DEPARTMENT_MAX)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=LazyString(
                    lambda: ngettext(
                        "Use between %(min)d and %(num)d character.",
                        "Use between %(min)d and %(num)d characters.",
                        PASSWORD_MAX,
                        min=PASSWORD_MIN,
                    )
                ),
            ),
        ],
        description=LazyString(
            lambda: ngettext(
                "At least %(num)d character.", "At least %(num)d characters.", PASSWORD_MIN
            )
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )


class PersonForm(FlaskForm):
    """HR's form for a person's role, department and manager. The choices come from the view;
    the service checks every value, so an unknown one gets its message rather than WTForms'."""

    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validate_choice=False,
    )
    department = SelectField(_l("Department"), validate_choice=False)
    manager = SelectField(_l("Manager"), validate_choice=False)
