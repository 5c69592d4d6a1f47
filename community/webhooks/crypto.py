"""The room's secrets at rest, sealed by `core.sealing` (Fernet under a key derived from
SECRET_KEY, its own purpose, so the key is used for nothing else).

A signing secret must be read back to compute the HMAC of each message, so it cannot be hashed
like a password; encrypted, a copy of the database alone does not reveal it. Changing
SECRET_KEY makes the stored secrets unreadable: HR then makes new ones (the pages say so).
"""

from __future__ import annotations

import base64
import secrets

from community.core.sealing import seal, unseal

PURPOSE = "community.webhooks.secrets"
PREFIX = "whsec_"  # Standard Webhooks' secret prefix: base64 of the key bytes follows


def new_secret() -> str:
    """A fresh Standard Webhooks secret: "whsec_" and base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def encrypt(secret: str) -> str:
    return seal(secret, PURPOSE)


def decrypt(token: str) -> str | None:
    """The secret, or None when it was encrypted under another SECRET_KEY."""
    return unseal(token, PURPOSE)


def hint(secret: str) -> str:
    """What the pages show of a secret: its last six characters."""
    return "…" + secret[-6:]
