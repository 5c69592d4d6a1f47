"""HR's form for a new API token. It only parses; `services.create_token` checks the values and
names the field of a refusal."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from community.api.scopes import Scope
from community.api.services import MAX_NAME


class ScopeField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        render_kw={"maxlength": MAX_NAME},
        description=_l("The system that will use it, e.g. “Greenhouse sync”."),
    )
    scopes = ScopeField(
        _l("Scopes"),
        choices=lambda: [SelectChoice(scope.value, scope.value) for scope in Scope],
        validate_choice=False,
    )
    expires_on = DateField(
        _l("Valid through"),
        description=_l("Leave empty for a token that lasts until it is revoked."),
    )

    def chosen_expiry(self) -> date | None:
        return self.expires_on.data if self.expires_on.raw_data and self.expires_on.data else None

    def expiry_unreadable(self) -> bool:
        """A date was typed but could not be read (the browser's date input normally prevents it)."""
        raw = (self.expires_on.raw_data or [""])[0]
        return bool(raw.strip()) and self.expires_on.data is None
