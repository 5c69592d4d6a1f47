"""HR's integration forms. They only parse; `services` checks the values and names the field of
a refusal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from community.webhooks.labels import event_label
from community.webhooks.models import Endpoint, EventType
from community.webhooks.safety import MAX_URL
from community.webhooks.services import MAX_NAME, EndpointFields


class SourceForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": MAX_NAME})
    slug = StringField(
        _l("Short name in the address"),
        render_kw={"maxlength": 40, "autocomplete": "off"},
        description=_l("Lower-case letters, digits and dashes, e.g. “greenhouse”."),
    )
    preset = SelectField(
        _l("Start from the mapping of"),
        choices=lambda: [
            SelectChoice("greenhouse", str(_l("a Greenhouse-like ATS"))),
            SelectChoice("lever", str(_l("a Lever-like ATS"))),
        ],
        validate_choice=False,
    )


class MappingForm(FlaskForm):
    mapping = TextAreaField(
        _l("Stage mapping"),
        render_kw={"rows": 14, "spellcheck": "false"},
        description=_l(
            "One line per stage: their stage -> our stage. Rejected and withdrawn take a reason code after a colon. “Their stage/their reason” matches before the stage alone."
        ),
    )


class SecretForm(FlaskForm):
    days = StringField(
        _l("Expires after (days)"),
        render_kw={"inputmode": "numeric", "maxlength": 4},
        description=_l("Leave empty to keep it until you retire it."),
    )


class LinkForm(FlaskForm):
    application_id = StringField(_l("Their application id"), render_kw={"maxlength": 80})
    referral_id = StringField(_l("Our referral number"), render_kw={"inputmode": "numeric"})


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": MAX_NAME})
    url = StringField(
        _l("Endpoint address"),
        render_kw={"maxlength": MAX_URL, "inputmode": "url", "placeholder": "https://"},
    )
    events = EventsField(
        _l("Events"),
        choices=lambda: [SelectChoice(e.value, event_label(e)) for e in EventType],
        validate_choice=False,
    )
    include_contact = BooleanField(
        _l("Include candidate contact"),
        description=_l(
            "Adds the candidate's name and e-mail to referral events. Only tick it if the receiving system needs them to create the candidate."
        ),
    )
    enabled = BooleanField(_l("On: send to this endpoint"), default=True)

    def fill_from(self, endpoint: Endpoint) -> EndpointForm:
        self.name.data, self.url.data = endpoint.name, endpoint.url
        self.events.data = list(endpoint.events)
        self.include_contact.data, self.enabled.data = endpoint.include_contact, endpoint.enabled
        return self

    def fields(self) -> EndpointFields:
        return EndpointFields(
            name=self.name.data or "",
            url=self.url.data or "",
            events=tuple(self.events.data or ()),
            include_contact=bool(self.include_contact.data),
            enabled=bool(self.enabled.data),
        )
