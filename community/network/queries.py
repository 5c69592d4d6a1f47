"""Reading one's own network. Every read here takes the owner and filters by them: there is no
query of another person's contacts, so nothing else in the house can show one (a contact that is
not the reader's is as missing as one that never was)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from community.core.errors import NOT_FOUND
from community.extensions import db
from community.network.models import Closeness, NetworkContact, NetworkTag, TagKind
from community.network.rules import NetworkError, fold


def not_found() -> NetworkError:
    """The one refusal for a contact that is not the reader's (or is not there at all)."""
    return NetworkError(_("There is no such contact in your network."), status=NOT_FOUND)


def get_own(owner_id: int, contact_id: int) -> NetworkContact:
    """The owner's contact with its tags; the same 404 refusal for anyone else's and a missing one."""
    contact = db.session.scalars(
        select(NetworkContact)
        .where(NetworkContact.id == contact_id, NetworkContact.owner_id == owner_id)
        .options(selectinload(NetworkContact.tags))
    ).first()
    if contact is None:
        raise not_found()
    return contact


def count(owner_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(NetworkContact).where(NetworkContact.owner_id == owner_id)
    )


@dataclass(frozen=True)
class Filters:
    """The list's filters: a tag (by kind and folded key), a closeness, words in the name,
    how they are known or the notes."""

    tag: str = ""
    kind: TagKind | None = None
    closeness: Closeness | None = None
    q: str = ""

    @classmethod
    def read(cls, args: dict[str, str]) -> Filters:
        try:
            kind: TagKind | None = TagKind(args.get("kind", ""))
        except ValueError:
            kind = None
        try:
            closeness: Closeness | None = Closeness(args.get("closeness", ""))
        except ValueError:
            closeness = None
        return cls(
            tag=fold(args.get("tag", ""))[:40],
            kind=kind,
            closeness=closeness,
            q=" ".join((args.get("q") or "").split())[:80],
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.tag or self.closeness or self.q)

    def as_args(self) -> dict[str, str]:
        args = {"tag": self.tag, "q": self.q}
        if self.kind:
            args["kind"] = self.kind.value
        if self.closeness:
            args["closeness"] = self.closeness.value
        return {k: v for k, v in args.items() if v}


def contacts(owner_id: int, filters: Filters | None = None) -> Select[tuple[NetworkContact]]:
    """The owner's contacts, filtered, by name (tags loaded with them)."""
    filters = filters or Filters()
    query = (
        select(NetworkContact)
        .where(NetworkContact.owner_id == owner_id)
        .options(selectinload(NetworkContact.tags))
    )
    if filters.tag:
        tagged = select(NetworkTag.contact_id).where(
            NetworkTag.owner_id == owner_id, NetworkTag.key == filters.tag
        )
        if filters.kind:
            tagged = tagged.where(NetworkTag.kind == filters.kind)
        query = query.where(NetworkContact.id.in_(tagged))
    if filters.closeness:
        query = query.where(NetworkContact.closeness == filters.closeness)
    if filters.q:
        like = f"%{filters.q.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                NetworkContact.name.ilike(like),
                NetworkContact.how_known.ilike(like),
                NetworkContact.notes.ilike(like),
            )
        )
    return query.order_by(NetworkContact.name_key, NetworkContact.id)


def all_contacts(owner_id: int) -> list[NetworkContact]:
    return list(db.session.scalars(contacts(owner_id)))


@dataclass(frozen=True)
class TagCount:
    kind: TagKind
    key: str
    label: str
    count: int


def tag_counts(owner_id: int) -> dict[TagKind, list[TagCount]]:
    """The owner's tags by kind, most used first (a label as first written)."""
    rows = db.session.execute(
        select(NetworkTag.kind, NetworkTag.key, func.min(NetworkTag.label), func.count())
        .where(NetworkTag.owner_id == owner_id)
        .group_by(NetworkTag.kind, NetworkTag.key)
        .order_by(func.count().desc(), NetworkTag.key)
    ).all()
    found: dict[TagKind, list[TagCount]] = {kind: [] for kind in TagKind}
    for kind, key, label, n in rows:
        found[TagKind(kind)].append(TagCount(TagKind(kind), key, label, n))
    return found
