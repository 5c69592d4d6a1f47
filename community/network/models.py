"""The private network (人脉盘点): a person's own contacts, their tags, what the outreach coach
remembers of the messages drafted, and the scans that suggest contacts for a job that opened.

Everything here belongs to one person, `owner_id`, and is read only through the owner's own
queries (`network.queries`): no other room joins these tables, so no page, export, search or
chart of anyone else can show a contact.

- `NetworkContact`: a contact. `name_key` and `email_key` (the address's identity, as
  `core.emails`) are what an import compares to merge a duplicate; `phone` is E.164.
  `timezone` is an IANA zone name (the company's when empty), for the coach's good hours.
- `NetworkTag`: one tag of one contact, of a kind (skill, industry, career wish: the seed's
  three); `key` is the label folded for comparing and filtering (unique per contact and kind).
- `OutreachSketch`: for each (owner, recipient, job) the coach drafted for, a bottom-k sketch of
  the message's character shingles (64 hashes, no text): enough to tell that a new message is
  nearly the same as one drafted for someone else, nothing to read back.
- `SuggestionScan`: a job that opened and whose matching against everyone's network the worker
  has still to do (`done_at` empty), one per opening.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class Closeness(enum.StrEnum):
    CLOSE = "close"  # call or meet
    ORDINARY = "ordinary"  # a personal WeChat or e-mail message
    ACQUAINTANCE = "acquaintance"  # a short, low-pressure personal note


class TagKind(enum.StrEnum):
    SKILL = "skill"  # 技术能力
    INDUSTRY = "industry"  # 行业经验
    WISH = "wish"  # 职业发展诉求: what they want next


class NetworkContact(db.Model):
    __tablename__ = "network_contacts"
    __table_args__ = (
        Index("ix_network_contacts_owner_name", "owner_id", "name_key"),
        Index("ix_network_contacts_owner_email", "owner_id", "email_key"),
        Index("ix_network_contacts_owner_phone", "owner_id", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # (owner_id is indexed by the three indexes above)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    how_known: Mapped[str] = mapped_column(String(200), default="")
    closeness: Mapped[Closeness] = mapped_column(enum_column(Closeness), default=Closeness.ORDINARY)
    last_contact_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    email_key: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    tags: Mapped[list[NetworkTag]] = relationship(
        back_populates="contact",
        cascade="all, delete-orphan",
        order_by="(NetworkTag.kind, NetworkTag.id)",
    )

    def tags_of(self, kind: TagKind) -> list[str]:
        return [tag.label for tag in self.tags if tag.kind == kind]


class NetworkTag(db.Model):
    __tablename__ = "network_tags"
    __table_args__ = (
        UniqueConstraint("contact_id", "kind", "key"),
        Index("ix_network_tags_owner_key", "owner_id", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # (contact_id is indexed by the unique triple)
    contact_id: Mapped[int] = mapped_column(ForeignKey("network_contacts.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[TagKind] = mapped_column(enum_column(TagKind))
    label: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))

    contact: Mapped[NetworkContact] = relationship(back_populates="tags")


class OutreachSketch(db.Model):
    __tablename__ = "network_outreach_sketches"
    __table_args__ = (UniqueConstraint("owner_id", "recipient_key", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # (owner_id is indexed by the unique triple)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recipient_key: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    sketch: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionScan(db.Model):
    __tablename__ = "network_suggestion_scans"
    __table_args__ = (UniqueConstraint("job_id", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    opened_at: Mapped[datetime]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    owners_told: Mapped[int] = mapped_column(default=0)
