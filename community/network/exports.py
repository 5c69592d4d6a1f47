"""One's network as a file to take along: CSV (UTF-8 with a BOM, so Excel reads Chinese; the
columns an import reads back) and vCard 3.0 (our tags, closeness and the rest as X-REFERRAL-…
properties, which an import reads back too). Only the owner's own contacts, on the owner's
request: no one else exports them."""

from __future__ import annotations

import csv
import io

import vobject

from community.network.models import NetworkContact, TagKind

COLUMNS = (
    "name",
    "how_known",
    "closeness",
    "skills",
    "industries",
    "wishes",
    "last_contact",
    "notes",
    "email",
    "phone",
    "timezone",
)


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (the import drops
    the quote again)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(contacts: list[NetworkContact]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for contact in contacts:
        writer.writerow(
            [
                _cell(contact.name),
                _cell(contact.how_known),
                contact.closeness.value,
                _cell(", ".join(contact.tags_of(TagKind.SKILL))),
                _cell(", ".join(contact.tags_of(TagKind.INDUSTRY))),
                _cell(", ".join(contact.tags_of(TagKind.WISH))),
                contact.last_contact_on.isoformat() if contact.last_contact_on else "",
                _cell(contact.notes),
                _cell(contact.email),
                _cell(contact.phone),
                contact.timezone or "",
            ]
        )
    return "\ufeff" + buffer.getvalue()


def as_vcards(contacts: list[NetworkContact]) -> str:
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("fn").value = contact.name
        card.add("n").value = vobject.vcard.Name(given=contact.name)
        if contact.email:
            card.add("email").value = contact.email
        if contact.phone:
            tel = card.add("tel")
            tel.value = contact.phone
            tel.type_param = "CELL"
        if contact.notes:
            card.add("note").value = contact.notes
        if contact.how_known:
            card.add("x-referral-how-known").value = contact.how_known
        card.add("x-referral-closeness").value = contact.closeness.value
        for kind, name in (
            (TagKind.SKILL, "x-referral-skill"),
            (TagKind.INDUSTRY, "x-referral-industry"),
            (TagKind.WISH, "x-referral-wish"),
        ):
            for label in contact.tags_of(kind):
                card.add(name).value = label
        if contact.last_contact_on:
            card.add("x-referral-last-contact").value = contact.last_contact_on.isoformat()
        if contact.timezone:
            card.add("x-referral-timezone").value = contact.timezone
        cards.append(card.serialize())
    return "".join(cards)
