"""The network's forms. The rules (required, lengths, tags, dates, addresses, phones, zones)
live in `rules` and the services, so a refusal reads the same from a form and an import; the
forms render the fields and carry the errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from community.network.labels import closeness_labels
from community.network.rules import MAX_HOW_KNOWN, MAX_NAME, MAX_NOTES, ContactFields
from community.network.services import MAX_MESSAGE, MAX_REASON

# Zones offered in the lists (any IANA name is accepted; these are the usual ones).
ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Toronto",
    "Australia/Sydney",
)
TAGS_HELP = _l("Separate tags with commas, e.g. Python, 支付, 数据分析.")


def closeness_choices() -> list[SelectChoice]:
    return [SelectChoice(value.value, str(label)) for value, label in closeness_labels().items()]


def zone_choices(current: str | None = None) -> list[SelectChoice]:
    zones = list(ZONES)
    if current and current not in zones:
        zones.insert(0, current)
    return [SelectChoice("", str(_l("The company's time zone")))] + [
        SelectChoice(zone, zone) for zone in zones
    ]


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": MAX_NAME, "autocomplete": "off"})
    how_known = StringField(
        _l("How you know them"),
        render_kw={
            "maxlength": MAX_HOW_KNOWN,
            "placeholder": _l("e.g. former colleague at Acme, 2019–2022"),
        },
    )
    closeness = SelectField(_l("Closeness"), choices=closeness_choices, validate_choice=False)
    skills = StringField(
        _l("Skills"),
        description=TAGS_HELP,
        render_kw={"placeholder": _l("e.g. Go, Kafka, system design")},
    )
    industries = StringField(
        _l("Industries"), render_kw={"placeholder": _l("e.g. fintech, e-commerce")}
    )
    wishes = StringField(
        _l("Career wishes (what they want next)"),
        render_kw={"placeholder": _l("e.g. lead a team, move to Shanghai")},
    )
    last_contact_on = StringField(_l("Last contact"), render_kw={"type": "date"})
    email = StringField(_l("Email (optional)"), render_kw={"type": "email", "maxlength": 254})
    phone = StringField(_l("Phone (optional)"), render_kw={"type": "tel", "maxlength": 40})
    timezone = SelectField(_l("Time zone"), choices=zone_choices, validate_choice=False)
    notes = TextAreaField(
        _l("Notes (only you read them)"), render_kw={"maxlength": MAX_NOTES, "rows": 3}
    )

    def to_fields(self) -> ContactFields:
        return ContactFields(
            name=self.name.data or "",
            how_known=self.how_known.data or "",
            closeness=self.closeness.data or "",
            skills=self.skills.data or "",
            industries=self.industries.data or "",
            wishes=self.wishes.data or "",
            last_contact_on=self.last_contact_on.data or "",
            notes=self.notes.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            timezone=self.timezone.data or "",
        )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or vCard file"))


class ConfirmImportForm(FlaskForm):
    preview = HiddenField()


class DeleteAllForm(FlaskForm):
    expected = HiddenField()
    confirm = BooleanField(_l("Yes, delete every contact in my network"))


class CoachForm(FlaskForm):
    job_id = SelectField(_l("Job"), validate_choice=False)
    contact_id = HiddenField()
    name = StringField(_l("Their name"), render_kw={"maxlength": MAX_NAME})
    closeness = SelectField(
        _l("How close are you?"), choices=closeness_choices, validate_choice=False
    )
    timezone = SelectField(_l("Their time zone"), choices=zone_choices, validate_choice=False)
    reason = TextAreaField(
        _l("Why this person (your reason)"),
        render_kw={
            "maxlength": MAX_REASON,
            "rows": 2,
            "placeholder": _l("e.g. you told me last year you want to work on payments at scale"),
        },
    )
    language = SelectField(
        _l("Write the message in"),
        choices=[SelectChoice("zh", "中文"), SelectChoice("en", "English")],
        validate_choice=False,
    )
    message = TextAreaField(_l("Your message"), render_kw={"maxlength": MAX_MESSAGE, "rows": 14})
