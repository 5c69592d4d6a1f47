"""The room's secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256, the `cryptography`
package) under a key derived from SECRET_KEY with HKDF-SHA256 (its own `info`, so the key is
used for nothing else).

A signing secret must be read back to compute the HMAC of each message, so it cannot be hashed
like a password; encrypted, a copy of the database alone does not reveal it. Changing
SECRET_KEY makes the stored secrets unreadable: HR then makes new ones (the pages say so).
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PREFIX = "whsec_"  # Standard Webhooks' secret prefix: base64 of the key bytes follows


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"community.webhooks.secrets"
    ).derive(str(current_app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    """A fresh Standard Webhooks secret: "whsec_" and base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str | None:
    """The secret, or None when it was encrypted under another SECRET_KEY."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def hint(secret: str) -> str:
    """What the pages show of a secret: its last six characters."""
    return "…" + secret[-6:]
