"""What a contact may hold, checked in one place for the form, an import row and an edit: a
refusal names the field and reads in the person's language, and writes nothing.

Tags are typed as text ("Python, Go; 支付") and kept as labels with a folded `key` (NFKC, case
folded, spaces collapsed) that comparing, filtering and matching use."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from community.core.emails import EmailError, email_key, normalise_email
from community.core.errors import DomainError
from community.core.time import local_today
from community.network.models import Closeness, TagKind
from community.referrals.errors import ReferralError
from community.referrals.services.submission import normalise_phone

MAX_NAME = 120
MAX_HOW_KNOWN = 200
MAX_NOTES = 2000
MAX_TAG = 40
MAX_TAGS = 15  # of one kind, on one contact
OLDEST_CONTACT = date(1900, 1, 1)
# What separates tags typed in one field or one CSV cell: commas, semicolons (also full-width),
# the Chinese enumeration comma, slashes and bars.
TAG_SEPARATORS = re.compile(r"[,;，；、|/\n]+")

# Words an import may use for closeness, folded (English and Chinese).
CLOSENESS_WORDS: dict[str, Closeness] = {
    "close": Closeness.CLOSE,
    "closefriend": Closeness.CLOSE,
    "亲密": Closeness.CLOSE,
    "密切": Closeness.CLOSE,
    "好友": Closeness.CLOSE,
    "亲近": Closeness.CLOSE,
    "ordinary": Closeness.ORDINARY,
    "normal": Closeness.ORDINARY,
    "普通": Closeness.ORDINARY,
    "一般": Closeness.ORDINARY,
    "acquaintance": Closeness.ACQUAINTANCE,
    "认识": Closeness.ACQUAINTANCE,
    "泛泛": Closeness.ACQUAINTANCE,
    "点头之交": Closeness.ACQUAINTANCE,
}


class NetworkError(DomainError):
    """A refusal about one's network: a field to fix, a file that cannot be read, a contact
    that is not there (someone else's answers exactly like a missing one)."""


class ContactError(NetworkError):
    """A contact with problems: `errors` maps every field with one to its message (the first
    is the refusal's own `message` and `field`)."""

    def __init__(self, errors: dict[str, str]) -> None:
        name, message = next(iter(errors.items()))
        super().__init__(message, field=name)
        self.errors = errors


def fold(text: str | None) -> str:
    """What two spellings of one word share: NFKC (full-width letters read as half-width),
    case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def split_tags(value: Iterable[str] | str | None) -> list[str]:
    """Tags typed as text (or a list), trimmed, blanks and repeats (folded) dropped, in order."""
    items = TAG_SEPARATORS.split(value) if isinstance(value, str) else list(value or [])
    seen: set[str] = set()
    labels: list[str] = []
    for item in items:
        label = " ".join(str(item).split()).strip("#＃ ")
        if label and fold(label) not in seen:
            seen.add(fold(label))
            labels.append(label)
    return labels


def read_closeness(value: str | Closeness | None) -> Closeness | None:
    """A closeness from its value or a word for it in either language; None when unknown."""
    if isinstance(value, Closeness):
        return value
    text = fold(value).replace(" ", "").replace("-", "").replace("_", "")
    if not text:
        return Closeness.ORDINARY
    return CLOSENESS_WORDS.get(text)


def read_date(value: date | str | None) -> date | None:
    """A date written 2026-03-01, 2026/3/1 or 2026.03.01; None when blank. ValueError otherwise."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


def company_zone() -> str:
    return str(current_app.config["COMPANY_TIMEZONE"])


def zone_of(name: str | None) -> ZoneInfo:
    """The contact's zone, the company's when they have none (or one no longer known)."""
    try:
        return ZoneInfo(name or company_zone())
    except (KeyError, ValueError):
        return ZoneInfo(company_zone())


_ZONES: set[str] = set()


def known_zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


@dataclass
class ContactFields:
    """A contact as typed (a form, an import row): text everywhere, tags as text or lists."""

    name: str = ""
    how_known: str = ""
    closeness: str | Closeness | None = Closeness.ORDINARY
    skills: Iterable[str] | str = ()
    industries: Iterable[str] | str = ()
    wishes: Iterable[str] | str = ()
    last_contact_on: date | str | None = None
    notes: str = ""
    email: str = ""
    phone: str = ""
    timezone: str = ""


@dataclass
class CheckedContact:
    """A contact that passed every check, ready to write (and to carry in an import preview)."""

    name: str
    how_known: str
    closeness: Closeness
    tags: dict[TagKind, list[str]] = field(default_factory=dict)
    last_contact_on: date | None = None
    notes: str = ""
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None

    @property
    def name_key(self) -> str:
        return fold(self.name)

    @property
    def email_key(self) -> str | None:
        return email_key(self.email)

    def as_data(self) -> dict[str, object]:
        """Plain JSON data (for the signed import preview)."""
        return {
            "name": self.name,
            "how_known": self.how_known,
            "closeness": self.closeness.value,
            "skills": self.tags.get(TagKind.SKILL, []),
            "industries": self.tags.get(TagKind.INDUSTRY, []),
            "wishes": self.tags.get(TagKind.WISH, []),
            "last_contact_on": self.last_contact_on.isoformat() if self.last_contact_on else "",
            "notes": self.notes,
            "email": self.email or "",
            "phone": self.phone or "",
            "timezone": self.timezone or "",
        }


TAG_FIELDS: dict[TagKind, str] = {
    TagKind.SKILL: "skills",
    TagKind.INDUSTRY: "industries",
    TagKind.WISH: "wishes",
}


def too_long(limit: int) -> str:
    return ngettext("Keep it under %(num)s character.", "Keep it under %(num)s characters.", limit)


def problems(fields: ContactFields) -> tuple[CheckedContact | None, dict[str, str]]:
    """The checked contact, or None and every problem by field name (in the reader's language)."""
    errors: dict[str, str] = {}
    name = " ".join((fields.name or "").split())
    if not name:
        errors["name"] = _("Enter the contact's name.")
    elif len(name) > MAX_NAME:
        errors["name"] = too_long(MAX_NAME)
    how_known = " ".join((fields.how_known or "").split())
    if len(how_known) > MAX_HOW_KNOWN:
        errors["how_known"] = too_long(MAX_HOW_KNOWN)
    closeness = read_closeness(fields.closeness)
    if closeness is None:
        errors["closeness"] = _("Choose close, ordinary or acquaintance.")
    tags: dict[TagKind, list[str]] = {}
    for kind, name_of_field in TAG_FIELDS.items():
        labels = split_tags(getattr(fields, name_of_field))
        if len(labels) > MAX_TAGS:
            errors[name_of_field] = ngettext(
                "At most %(num)s tag of each kind.", "At most %(num)s tags of each kind.", MAX_TAGS
            )
        elif any(len(label) > MAX_TAG for label in labels):
            errors[name_of_field] = ngettext(
                "Keep each tag under %(num)s character.",
                "Keep each tag under %(num)s characters.",
                MAX_TAG,
            )
        tags[kind] = labels
    last_contact_on = None
    try:
        last_contact_on = read_date(fields.last_contact_on)
    except ValueError:
        errors["last_contact_on"] = _("Write the date as 2026-03-01.")
    if last_contact_on and not OLDEST_CONTACT <= last_contact_on <= local_today():
        errors["last_contact_on"] = _("The last contact cannot be in the future.")
        if last_contact_on < OLDEST_CONTACT:
            errors["last_contact_on"] = _("Write the date as 2026-03-01.")
    notes = (fields.notes or "").strip()
    if len(notes) > MAX_NOTES:
        errors["notes"] = too_long(MAX_NOTES)
    email = None
    try:
        email = normalise_email(fields.email)
    except EmailError as exc:
        errors["email"] = exc.message
    phone = None
    try:
        phone = normalise_phone(fields.phone)
    except ReferralError:
        errors["phone"] = _("“%(phone)s” is not a phone number.", phone=fields.phone.strip())
    timezone = (fields.timezone or "").strip() or None
    if timezone and timezone not in known_zones():
        errors["timezone"] = _("Choose a time zone from the list, e.g. Asia/Shanghai.")
    if errors or closeness is None:
        return None, errors
    return (
        CheckedContact(
            name=name,
            how_known=how_known,
            closeness=closeness,
            tags=tags,
            last_contact_on=last_contact_on,
            notes=notes,
            email=email,
            phone=phone,
            timezone=timezone,
        ),
        {},
    )


def check(fields: ContactFields) -> CheckedContact:
    """The checked contact; a ContactError naming every field with a problem otherwise."""
    checked, errors = problems(fields)
    if checked is None:
        raise ContactError(errors)
    return checked


def from_data(data: dict[str, object]) -> ContactFields:
    """The fields of a contact carried as plain data (`CheckedContact.as_data`)."""
    values = {name: data.get(name, "") for name in ContactFields.__dataclass_fields__}
    return ContactFields(**values)  # type: ignore[arg-type]
