"""Checking what a host asks for: a session's fields, a recording link. Each refusal is in the
host's language and names its field. Nothing here writes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import ngettext

from community.core.errors import DomainError
from community.core.localized import paired_text
from community.core.time import utcnow

MAX_TITLE = 120
MAX_DESCRIPTION = 5000
MAX_SPEAKERS = 300
MAX_LOCATION = 200
MAX_URL = 500
MAX_CAPACITY = 5000
MAX_REASON = 1000
MAX_LENGTH = timedelta(hours=12)  # a talk, a workshop: not a conference
MAX_AHEAD = timedelta(days=366)
START_GRACE = timedelta(minutes=5)  # "starts now" typed a minute ago is not in the past


class SharingError(DomainError):
    """A sharing-session change refused."""


@dataclass
class SessionFields:
    """What a host sets. Times are naive UTC (the form converts from the company zone)."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    capacity: int | None
    title_en: str | None = None
    description: str = ""
    description_en: str = ""
    speakers: str = ""
    location: str = ""
    online_url: str = ""
    allow_walk_ins: bool = False


def _clean(text: str | None) -> str:
    """Text without control characters (NUL breaks PostgreSQL) other than line breaks and tabs."""
    return "".join(
        ch for ch in (text or "") if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    ).strip()


def _line(text: str | None) -> str:
    return " ".join(_clean(text).split())


def web_link(value: str | None, field: str) -> str:
    """`value` when it is an http(s) link a browser can open ("" when empty)."""
    link = _line(value)
    if not link:
        return ""
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in link:
        raise SharingError(_("Enter a full web link starting with https://."), field=field)
    if len(link) > MAX_URL:
        raise SharingError(
            ngettext(
                "A link may have at most %(num)d character.",
                "A link may have at most %(num)d characters.",
                MAX_URL,
            ),
            field=field,
        )
    return link


def check_fields(fields: SessionFields, *, new: bool) -> SessionFields:
    """The fields cleaned, or SharingError naming the first field that is wrong. A new session
    (or a moved one: `new`) starts in the future."""
    title, title_en = paired_text(_line(fields.title), _line(fields.title_en))
    if not title:
        raise SharingError(_("Give the session a title."), field="title")
    if len(title) > MAX_TITLE or len(title_en) > MAX_TITLE:
        raise SharingError(
            ngettext(
                "A title may have at most %(num)d character.",
                "A title may have at most %(num)d characters.",
                MAX_TITLE,
            ),
            field="title" if len(title) > MAX_TITLE else "title_en",
        )
    description, description_en = paired_text(
        _clean(fields.description), _clean(fields.description_en)
    )
    for name, text in (("description", description), ("description_en", description_en)):
        if len(text) > MAX_DESCRIPTION:
            raise SharingError(
                ngettext(
                    "A description may have at most %(num)d character.",
                    "A description may have at most %(num)d characters.",
                    MAX_DESCRIPTION,
                ),
                field=name,
            )
    speakers = _line(fields.speakers)
    if len(speakers) > MAX_SPEAKERS:
        raise SharingError(
            ngettext(
                "The speakers may take at most %(num)d character.",
                "The speakers may take at most %(num)d characters.",
                MAX_SPEAKERS,
            ),
            field="speakers",
        )
    starts_at, ends_at = fields.starts_at, fields.ends_at
    if starts_at is None:
        raise SharingError(_("Choose when the session starts."), field="starts_at")
    if ends_at is None:
        raise SharingError(_("Choose when the session ends."), field="ends_at")
    now = utcnow()
    if new and starts_at < now - START_GRACE:
        raise SharingError(_("The start must be in the future."), field="starts_at")
    if starts_at > now + MAX_AHEAD:
        raise SharingError(_("A session can be planned a year ahead at most."), field="starts_at")
    if ends_at <= starts_at:
        raise SharingError(_("The end must come after the start."), field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise SharingError(_("A session may last 12 hours at most."), field="ends_at")
    location = _line(fields.location)
    if len(location) > MAX_LOCATION:
        raise SharingError(
            ngettext(
                "A room may take at most %(num)d character.",
                "A room may take at most %(num)d characters.",
                MAX_LOCATION,
            ),
            field="location",
        )
    online_url = web_link(fields.online_url, "online_url")
    if not location and not online_url:
        raise SharingError(
            _("Say where it happens: a room, an online link, or both."), field="location"
        )
    capacity = fields.capacity
    if capacity is None or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        raise SharingError(
            _("Capacity is a number of seats from 1 to %(most)d.", most=MAX_CAPACITY),
            field="capacity",
        )
    return SessionFields(
        title=title,
        title_en=title_en or None,
        description=description,
        description_en=description_en,
        speakers=speakers,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        capacity=capacity,
        allow_walk_ins=bool(fields.allow_walk_ins),
    )


def check_reason(reason: str | None) -> str:
    text = _clean(reason)
    if len(text) > MAX_REASON:
        raise SharingError(
            ngettext(
                "A reason may have at most %(num)d character.",
                "A reason may have at most %(num)d characters.",
                MAX_REASON,
            ),
            field="reason",
        )
    return text
