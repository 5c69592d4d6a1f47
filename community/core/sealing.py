"""Secrets kept at rest so that a copy of the database alone does not reveal them: signing
secrets and robot addresses the app must read back (to compute an HMAC, to post), which a hash
would not allow. Fernet (AES-128-CBC with HMAC-SHA256, the `cryptography` package) under a key
derived from SECRET_KEY by HKDF-SHA256, one key per `purpose` (its HKDF `info`), so a value
sealed for one purpose opens for no other.

Changing SECRET_KEY makes what was sealed unreadable (`unseal` answers None): the pages that
hold such values say so, and HR enters them again.
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def _fernet(purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        str(current_app.config["SECRET_KEY"]).encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str, purpose: str) -> str:
    """`value` encrypted for `purpose` (a different text each time)."""
    return _fernet(purpose).encrypt(value.encode()).decode()


def unseal(token: str, purpose: str) -> str | None:
    """The sealed value, or None when it was sealed under another SECRET_KEY or purpose."""
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def sealed_length(plain_length: int) -> int:
    """The column length a sealed value of `plain_length` UTF-8 bytes needs."""
    blocks = plain_length // 16 + 1
    return len(base64.urlsafe_b64encode(bytes(1 + 8 + 16 + blocks * 16 + 32)))


class Sealed(TypeDecorator[str]):
    """A text column whose values are sealed on the way in and opened on the way out, for one
    `purpose`. Never compared in SQL: each write seals differently."""

    impl = String
    cache_ok = True

    def __init__(self, purpose: str, plain_length: int) -> None:
        super().__init__(sealed_length(plain_length * 4))  # UTF-8: up to 4 bytes a character
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else seal(str(value), self.purpose)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value, self.purpose)
