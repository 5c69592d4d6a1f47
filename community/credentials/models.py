"""The issuer's signing keys and the credentials exported from badge awards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.badges.models import UserBadge
from community.core.time import utcnow
from community.extensions import db


class IssuerKey(db.Model):
    """An Ed25519 key pair the issuer signs with (`keys`). The public key is kept as a JWK in
    clear (published on the issuer profile, and kept after a key is retired so that older
    credentials still verify); the private key only encrypted (AES-GCM under a key derived from
    SECRET_KEY). `retired_at` is set when a new key took over (SECRET_KEY changed)."""

    __tablename__ = "issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)  # the JWK thumbprint
    public_jwk: Mapped[str] = mapped_column(Text)
    private_key_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]


class IssuedCredential(db.Model):
    """One export of a badge award as a signed Open Badges credential. `token` is the random,
    unguessable id in its public URL (`/credentials/<token>`); `jwt` is what was signed, kept so
    the earner can download it again. `revoked_at` is set when HR revoked the badge."""

    __tablename__ = "issued_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("user_badges.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    language: Mapped[str] = mapped_column(String(10))  # "en", "zh_CN" or "both"
    show_name: Mapped[bool] = mapped_column(default=False)  # the earner's name on public pages
    key_id: Mapped[int] = mapped_column(ForeignKey("issuer_keys.id"))
    jwt: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    award: Mapped[UserBadge] = relationship()
    user: Mapped[User] = relationship()
