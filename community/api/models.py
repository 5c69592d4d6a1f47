"""API tokens: what an HR integration presents to the JSON API. Only a hash of the secret is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db


class ApiToken(db.Model):
    """A named token with scopes, made by an HR officer and acting as them (their rights, their
    name in a referral's history). The token itself, `rc_<prefix>_<secret>`, is shown once; the
    row keeps its `prefix` (to find it and to show it) and the SHA-256 of the whole token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def is_live(self, now: datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired(now)

    @property
    def shown_prefix(self) -> str:
        """What lists show of the token: enough to recognise it, nothing to use it."""
        return f"rc_{self.prefix}_…"
