"""Telling that two messages are nearly the same, without keeping either: a message becomes the
set of its 5-character shingles (spaces, punctuation and the recipient's name left out, folded),
and of their 64-bit hashes only the 64 smallest are kept (a bottom-k sketch). Two sketches
estimate the Jaccard similarity of the two shingle sets: the share of the k smallest hashes of
their union that both hold. Nothing of the text can be read back from a sketch."""

from __future__ import annotations

import hashlib
import re

from community.network.rules import fold

K = 64
SHINGLE = 5
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


def sketch(message: str, name: str = "") -> list[int]:
    """The message's sketch (empty for a message too short to have one)."""
    text = fold(message)
    for part in fold(name).split():
        text = text.replace(part, " ")
    text = _NOISE.sub("", text)
    if len(text) < SHINGLE:
        return []
    hashes = {_hash(text[i : i + SHINGLE]) for i in range(len(text) - SHINGLE + 1)}
    return sorted(hashes)[:K]


def similarity(first: list[int], second: list[int]) -> float:
    """The estimated Jaccard similarity of the two messages (0 when either has no sketch)."""
    if not first or not second:
        return 0.0
    a, b = set(first), set(second)
    union = sorted(a | b)[:K]
    return sum(1 for h in union if h in a and h in b) / len(union)
