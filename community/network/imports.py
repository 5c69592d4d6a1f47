"""Importing contacts from a CSV or vCard file, in two steps: a preview (what will be added,
what merges with a contact one already has, what is refused and why) and the confirmation that
writes it. Nothing is written before the confirmation, and nothing at all from a file that
cannot be read: too large, too many rows, not text, not UTF-8 (with or without BOM) or
GBK/GB18030, a CSV without a name column, a vCard that does not parse.

The preview carries the checked rows to the confirmation signed (`itsdangerous`, SECRET_KEY,
for its owner only, for NETWORK_IMPORT_PREVIEW_MINUTES), so the file is never kept on the
server; the confirmation checks the rows again and plans the merges again against the network
as it is then.

A duplicate is found by the address's identity (`core.emails`), else the phone, else the name
when neither an address nor a phone on both sides says they are different people (two people
called 王伟 with different addresses stay two). Rows of one file that are the same person are
merged first. What a merge keeps: `services.merge_into`."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import vobject
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from community.core.emails import email_identity
from community.core.localized import language_of
from community.network import queries
from community.network.models import Closeness, NetworkContact, TagKind
from community.network.rules import (
    CheckedContact,
    ContactFields,
    NetworkError,
    fold,
    from_data,
    problems,
    split_tags,
)

# CSV header names accepted for each field, folded and without spaces, hyphens or underscores.
HEADERS: dict[str, str] = {
    **dict.fromkeys(("name", "fullname", "displayname", "姓名", "名字", "联系人"), "name"),
    **dict.fromkeys(("firstname", "givenname", "名"), "first_name"),
    **dict.fromkeys(("lastname", "familyname", "surname", "姓"), "last_name"),
    **dict.fromkeys(
        ("howknown", "howweknow", "howyouknow", "relationship", "关系", "认识方式", "怎么认识"),
        "how_known",
    ),
    **dict.fromkeys(("closeness", "亲密度", "亲疏", "关系远近", "熟悉程度"), "closeness"),
    **dict.fromkeys(("skills", "skill", "技能", "技术能力", "技术"), "skills"),
    **dict.fromkeys(("industries", "industry", "行业", "行业经验"), "industries"),
    **dict.fromkeys(
        ("wishes", "wish", "careerwish", "careerwishes", "职业诉求", "发展诉求", "职业发展诉求"),
        "wishes",
    ),
    **dict.fromkeys(
        ("lastcontact", "lastcontacton", "lastcontactdate", "最近联系", "上次联系", "最后联系"),
        "last_contact_on",
    ),
    **dict.fromkeys(("notes", "note", "备注"), "notes"),
    **dict.fromkeys(
        ("email", "e-mail", "emailaddress", "email1value", "邮箱", "电子邮件", "邮件"), "email"
    ),
    **dict.fromkeys(
        ("phone", "mobile", "mobilephone", "phone1value", "电话", "手机", "手机号", "手机号码"),
        "phone",
    ),
    **dict.fromkeys(("timezone", "tz", "时区"), "timezone"),
}
FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@])")  # what our export puts before a formula-like cell


class ImportFileError(NetworkError):
    """A file that cannot be imported at all; nothing was written."""


@dataclass
class Rejected:
    """A row that cannot be imported: `row` counts like a spreadsheet (the header is row 1) or,
    in a vCard file, the card's place."""

    row: int
    name: str
    reasons: list[str]


@dataclass
class Parsed:
    """What a file holds: checked rows (with their row numbers), rejected rows, ignored columns."""

    rows: list[tuple[int, CheckedContact]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    kind: str = "csv"


@dataclass
class Plan:
    """What an import does to a network: contacts added, contacts merged into (with the
    incoming row and how it was recognised), and rows of the file folded into another row."""

    added: list[CheckedContact] = field(default_factory=list)
    merges: list[tuple[NetworkContact, CheckedContact]] = field(default_factory=list)
    matched_by: dict[int, str] = field(default_factory=dict)  # contact id → "email"/"phone"/"name"
    folded: int = 0


def max_bytes() -> int:
    return int(current_app.config["NETWORK_IMPORT_MAX_BYTES"])


def max_rows() -> int:
    return int(current_app.config["NETWORK_IMPORT_MAX_ROWS"])


# Reading a file ------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else GBK/GB18030 as Chinese Excel saves."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."), field="file")
    if len(data) > max_bytes():
        raise ImportFileError(
            _(
                "The file is larger than %(size)s KB. Split it into smaller files.",
                size=max_bytes() // 1024,
            ),
            field="file",
        )
    if b"\x00" in data:
        raise ImportFileError(
            _(
                "This is not a CSV or vCard text file. Save it as CSV (UTF-8) or vCard and try again."
            ),
            field="file",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("The file's characters could not be read. Save it as UTF-8 and try again."), field="file"
    )


def parse(data: bytes) -> Parsed:
    """Read an uploaded file (CSV or vCard, told apart by its content) into checked and
    rejected rows; an ImportFileError when the file as a whole cannot be read."""
    text = decode(data)
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        return parse_vcards(text)
    return parse_csv(text)


def _too_many() -> ImportFileError:
    return ImportFileError(
        ngettext(
            "The file has more than %(num)s contact. Split it into smaller files.",
            "The file has more than %(num)s contacts. Split it into smaller files.",
            max_rows(),
        ),
        field="file",
    )


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", fold(name))


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", "\t", ";"), key=first.count)


def _cell(value: Any) -> str:
    text = str(value or "").strip()
    return FORMULA_ESCAPE.sub("", text)


def _add_row(parsed: Parsed, row: int, fields: ContactFields) -> None:
    checked, errors = problems(fields)
    if checked is None:
        parsed.rejected.append(Rejected(row, fields.name.strip()[:120], list(errors.values())))
    else:
        parsed.rows.append((row, checked))


def parse_csv(text: str) -> Parsed:
    parsed = Parsed(kind="csv")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise ImportFileError(_("The file has no header row."), field="file")
        columns: dict[int, str] = {}
        for index, name in enumerate(header):
            key = HEADERS.get(_header_key(name))
            if key and key not in columns.values():
                columns[index] = key
            elif name.strip():
                parsed.ignored_columns.append(name.strip()[:40])
        names = set(columns.values())
        if "name" not in names and not ({"first_name", "last_name"} & names):
            raise ImportFileError(
                _("The file needs a “name” column (or “姓名”). The first row names the columns."),
                field="file",
            )
        count = 0
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            count += 1
            if count > max_rows():
                raise _too_many()
            values = {key: _cell(record[i]) for i, key in columns.items() if i < len(record)}
            name = values.pop("name", "")
            first, last = values.pop("first_name", ""), values.pop("last_name", "")
            if not name:
                han = language_of(first + last) == "zh"
                name = f"{last}{first}" if han else f"{first} {last}".strip()
            _add_row(parsed, reader.line_num, ContactFields(name=name, **values))
    except csv.Error:
        raise ImportFileError(
            _("The file is not a CSV file that can be read. Save it as CSV (UTF-8) and try again."),
            field="file",
        ) from None
    if not parsed.rows and not parsed.rejected:
        raise ImportFileError(_("The file has no contacts below its header row."), field="file")
    return parsed


def _unescape(value: Any) -> str:
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    return (
        text.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
    ).strip()


def _first(card: Any, name: str, prefer: str | None = None) -> str:
    lines = card.contents.get(name, [])
    if prefer:
        lines = sorted(
            lines, key=lambda line: prefer not in [t.upper() for t in line.params.get("TYPE", [])]
        )
    for line in lines:
        value = _unescape(line.value)
        if value:
            return value
    return ""


def _all(card: Any, name: str) -> list[str]:
    found: list[str] = []
    for line in card.contents.get(name, []):
        value = line.value
        found += [_unescape(v) for v in value] if isinstance(value, list) else [_unescape(value)]
    return [item for item in found if item]


def _card_name(card: Any) -> str:
    name = _first(card, "fn")
    if name:
        return name
    for line in card.contents.get("n", []):
        value = line.value
        given, family = (
            _unescape(getattr(value, "given", "")),
            _unescape(getattr(value, "family", "")),
        )
        if given or family:
            han = language_of(given + family) == "zh"
            return f"{family}{given}" if han else f"{given} {family}".strip()
    return ""


def parse_vcards(text: str) -> Parsed:
    parsed = Parsed(kind="vcard")
    try:
        cards = vobject.readComponents(text)
        for number, card in enumerate(cards, start=1):
            if number > max_rows():
                raise _too_many()
            if card.name != "VCARD":
                raise ImportFileError(
                    _("The file holds something other than vCards."), field="file"
                )
            skills = _all(card, "x-referral-skill") or _all(card, "categories")
            org = " · ".join(item for item in (_first(card, "org"), _first(card, "title")) if item)
            notes = "\n".join(item for item in (_first(card, "note"), org) if item)
            phone = _first(card, "tel", prefer="CELL")
            phone = phone[4:] if phone.lower().startswith("tel:") else phone
            fields = ContactFields(
                name=_card_name(card),
                how_known=_first(card, "x-referral-how-known"),
                closeness=_first(card, "x-referral-closeness") or Closeness.ORDINARY,
                skills=split_tags(skills),
                industries=split_tags(_all(card, "x-referral-industry")),
                wishes=split_tags(_all(card, "x-referral-wish")),
                last_contact_on=_first(card, "x-referral-last-contact") or None,
                notes=notes,
                email=_first(card, "email", prefer="PREF"),
                phone=phone,
                timezone=_first(card, "x-referral-timezone"),
            )
            _add_row(parsed, number, fields)
    except ImportFileError:
        raise
    except Exception:  # vobject raises ParseError, ValueError… on a malformed card
        raise ImportFileError(
            _("The vCard file could not be read: a card is malformed or not closed."), field="file"
        ) from None
    if not parsed.rows and not parsed.rejected:
        raise ImportFileError(_("The file has no contacts."), field="file")
    return parsed


# Planning the merges -------------------------------------------------------------------------


def _identity(email: str | None) -> str | None:
    return email_identity(email) if email else None


def _differ(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def _same_person(name_key: str, email: str | None, phone: str | None, other: Any) -> str | None:
    """How a row is recognised as `other` (a contact or another row): "email", "phone", "name"."""
    other_email = _identity(other.email)
    if email and email == other_email:
        return "email"
    if phone and phone == other.phone:
        return "phone"
    if name_key == fold(other.name) and not (
        _differ(email, other_email) or _differ(phone, other.phone)
    ):
        return "name"
    return None


def combine(first: CheckedContact, second: CheckedContact) -> CheckedContact:
    """Two rows of one file that are one person, as one (the first row's values win)."""
    tags = {
        kind: (
            first.tags.get(kind, [])
            + [
                t
                for t in second.tags.get(kind, [])
                if fold(t) not in map(fold, first.tags.get(kind, []))
            ]
        )[:15]
        for kind in TagKind
    }
    dates = [d for d in (first.last_contact_on, second.last_contact_on) if d]
    notes = first.notes
    if second.notes and second.notes not in notes:
        notes = f"{notes}\n{second.notes}".strip()[:2000]
    return CheckedContact(
        name=first.name,
        how_known=first.how_known or second.how_known,
        closeness=first.closeness,
        tags=tags,
        last_contact_on=max(dates) if dates else None,
        notes=notes,
        email=first.email or second.email,
        phone=first.phone or second.phone,
        timezone=first.timezone or second.timezone,
    )


class _Index:
    """People by address identity, phone and name key, to find a duplicate without comparing
    every row with every contact."""

    def __init__(self) -> None:
        self.by_email: dict[str, Any] = {}
        self.by_phone: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}

    def add(self, person: Any, handle: Any) -> None:
        email = _identity(person.email)
        if email:
            self.by_email.setdefault(email, handle)
        if person.phone:
            self.by_phone.setdefault(person.phone, handle)
        self.by_name.setdefault(fold(person.name), []).append((person, handle))

    def find(self, row: CheckedContact) -> tuple[Any, str] | None:
        email = _identity(row.email)
        if email and email in self.by_email:
            return self.by_email[email], "email"
        if row.phone and row.phone in self.by_phone:
            return self.by_phone[row.phone], "phone"
        for person, handle in self.by_name.get(row.name_key, []):
            if _same_person(row.name_key, email, row.phone, person) == "name":
                return handle, "name"
        return None


def plan(owner_id: int, rows: list[CheckedContact]) -> Plan:
    """What importing `rows` does to the owner's network as it is now."""
    result = Plan()
    existing = _Index()
    by_id: dict[int, NetworkContact] = {}
    for contact in queries.all_contacts(owner_id):
        existing.add(contact, contact.id)
        by_id[contact.id] = contact
    merged: dict[int, CheckedContact] = {}  # contact id → the incoming rows, combined
    fresh = _Index()
    for row in rows:
        found = existing.find(row)
        if found:
            contact_id, how = found
            if contact_id in merged:
                merged[contact_id] = combine(merged[contact_id], row)
                result.folded += 1
            else:
                merged[contact_id] = row
                result.matched_by[contact_id] = how
            continue
        again = fresh.find(row)
        if again is None:
            fresh.add(row, len(result.added))
            result.added.append(row)
        else:
            index = again[0]
            result.added[index] = combine(result.added[index], row)
            fresh.add(result.added[index], index)  # its new address or phone finds it too
            result.folded += 1
    result.merges = [(by_id[contact_id], row) for contact_id, row in merged.items()]
    return result


# Carrying the preview to the confirmation ----------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="network-import")


def sign(owner_id: int, rows: list[CheckedContact]) -> str:
    """The checked rows, signed for their owner, for the confirmation form."""
    return _serializer().dumps({"owner": owner_id, "rows": [row.as_data() for row in rows]})


def unsign(owner_id: int, token: str) -> list[CheckedContact]:
    """The rows a preview signed for this owner, checked again; a refusal when the token is
    forged, someone else's, or older than NETWORK_IMPORT_PREVIEW_MINUTES."""
    minutes = int(current_app.config["NETWORK_IMPORT_PREVIEW_MINUTES"])
    try:
        data = _serializer().loads(token or "", max_age=minutes * 60)
    except SignatureExpired:
        raise NetworkError(
            _("This preview is too old. Upload the file again."), field="file", code="expired"
        ) from None
    except BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("owner") != owner_id:
        raise NetworkError(_("This preview is not valid. Upload the file again."), field="file")
    rows = []
    for item in data.get("rows") or []:
        checked, errors = problems(from_data(item))
        if checked is None:
            raise NetworkError(_("This preview is not valid. Upload the file again."), field="file")
        rows.append(checked)
    return rows
