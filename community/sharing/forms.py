"""The forms of sessions: the session itself (times typed in the company's zone, handed to the
services as naive UTC), cancelling with a reason, the recording link. The services check the
values and name the field of a refusal; the forms only parse."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional

from community.core.time import company_tz, to_local, utcnow
from community.sharing.models import SharingSession
from community.sharing.rules import (
    MAX_CAPACITY,
    MAX_DESCRIPTION,
    MAX_LOCATION,
    MAX_REASON,
    MAX_SPEAKERS,
    MAX_TITLE,
    MAX_URL,
    SessionFields,
)

# The browser's datetime-local value first (how the field is written back into the form).
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def to_utc(value: datetime | None) -> datetime | None:
    """A company-zone time as naive UTC (how times are stored)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=company_tz())
    return value.astimezone(UTC).replace(tzinfo=None)


class LenientInteger(IntegerField):
    """An integer field that leaves a bad value to the service's message (None), so a person
    sees one clear refusal on the field instead of WTForms' own wording."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] != "" else None
        except (TypeError, ValueError):
            self.data = None


class SessionForm(FlaskForm):
    title = StringField(_l("Title (Chinese)"), render_kw={"maxlength": MAX_TITLE})
    title_en = StringField(
        _l("Title (English)"),
        render_kw={"maxlength": MAX_TITLE},
        description=_l("Left empty, English readers see the Chinese."),
    )
    description = TextAreaField(
        _l("Description (Chinese)"),
        render_kw={"rows": 5, "maxlength": MAX_DESCRIPTION},
        description=_l("Markdown: **bold**, lists, links."),
    )
    description_en = TextAreaField(
        _l("Description (English)"), render_kw={"rows": 5, "maxlength": MAX_DESCRIPTION}
    )
    speakers = StringField(
        _l("Speakers"),
        render_kw={"maxlength": MAX_SPEAKERS},
        description=_l("Names, separated by commas."),
    )
    starts_at = DateTimeLocalField(
        _l("Starts"), format=TIME_FORMATS, tz=company_tz, validators=[Optional()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=TIME_FORMATS, tz=company_tz, validators=[Optional()]
    )
    location = StringField(
        _l("Room"), render_kw={"maxlength": MAX_LOCATION}, description=_l("Where in the office.")
    )
    online_url = StringField(
        _l("Online link"),
        render_kw={"maxlength": MAX_URL, "inputmode": "url", "placeholder": "https://"},
        description=_l("Shown only to people with a seat."),
    )
    capacity = LenientInteger(
        _l("Seats"), default=30, render_kw={"min": 1, "max": MAX_CAPACITY, "inputmode": "numeric"}
    )
    allow_walk_ins = BooleanField(
        _l("Let people without a seat check in at the door"),
    )

    def defaults(self) -> SessionForm:
        start = (to_local(utcnow()) + timedelta(days=7)).replace(
            hour=15, minute=0, second=0, microsecond=0, tzinfo=None
        )
        self.starts_at.data = start
        self.ends_at.data = start + timedelta(hours=1)
        return self

    def prefill(self, args: Mapping[str, str]) -> SessionForm:
        """Words another page suggests through the query string (analytics' "Offer a sharing
        session" to a quiet department): the title and description only, cut to their limits.
        The host still reads, changes and publishes them."""
        limits = {"title": MAX_TITLE, "title_en": MAX_TITLE}
        limits |= {"description": MAX_DESCRIPTION, "description_en": MAX_DESCRIPTION}
        for name, limit in limits.items():
            value = (args.get(name) or "").strip()
            if value:
                getattr(self, name).data = value[:limit]
        return self

    def fill_from(self, session: SharingSession) -> SessionForm:
        for name in SessionFields.__dataclass_fields__:
            value = getattr(session, name)
            if name in ("starts_at", "ends_at"):
                value = to_local(value).replace(tzinfo=None)
            getattr(self, name).data = value
        return self

    def fields(self) -> SessionFields:
        return SessionFields(
            title=self.title.data or "",
            title_en=self.title_en.data or "",
            description=self.description.data or "",
            description_en=self.description_en.data or "",
            speakers=self.speakers.data or "",
            starts_at=to_utc(self.starts_at.data),
            ends_at=to_utc(self.ends_at.data),
            location=self.location.data or "",
            online_url=self.online_url.data or "",
            capacity=self.capacity.data,
            allow_walk_ins=bool(self.allow_walk_ins.data),
        )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why (everyone who answered reads it)"),
        render_kw={"rows": 3, "maxlength": MAX_REASON},
    )


class RecordingForm(FlaskForm):
    recording_url = StringField(
        _l("Recording link"),
        render_kw={"maxlength": MAX_URL, "inputmode": "url", "placeholder": "https://"},
    )
