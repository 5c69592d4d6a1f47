"""The shape of a referral code (内推码): eight characters a person can read aloud and type
from a poster without a doubt — digits 2–9 and capital letters without I and O, so never 0/O or
1/I — drawn at random (32⁸ ≈ 10¹² codes: guessing one is hopeless behind the rate limits)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def new_code() -> str:
    """A fresh random code (uniqueness is the database's to ensure)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str | None) -> str | None:
    """The code someone typed or a URL carries, as stored: capitals, without the spaces and
    dashes people add. None when it cannot be a code: the wrong length, or a character outside
    the alphabet (0, O, 1 and I never occur, so none of them is guessed at)."""
    text = _SEPARATORS.sub("", (typed or "").strip()).upper()
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def shown(code: str) -> str:
    """A code as printed for people: two groups of four ("7KQM-R2XD")."""
    return f"{code[:4]}-{code[4:]}"
