"""Perk factories: perks with chosen rules, points given as earned ledger entries, tiny images."""

from __future__ import annotations

import struct
import uuid
import zlib
from typing import Any

from community.accounts.models import User
from community.extensions import db
from community.perks.models import Perk
from community.points.models import PointKind
from community.points.services import record_points


def make_perk(**fields: Any) -> Perk:
    values: dict[str, Any] = {
        "name_en": "Extra day of annual leave",
        "name_zh": "额外一天年假",
        "description_en": "One more day off this year.",
        "description_zh": "今年多休一天。",
        "cost_points": 100,
        "stock": None,
        "limit_per_year": None,
        "requires_approval": True,
        "active": True,
    }
    values.update(fields)
    perk = Perk(**values)
    db.session.add(perk)
    db.session.commit()
    return perk


def give_points(user: User, amount: int) -> None:
    """`amount` earned points for `user` (a ledger entry, as a referral stage would write)."""
    record_points(user, amount, PointKind.EARNED, idempotency_key=f"test:{uuid.uuid4().hex}")
    db.session.commit()


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A valid tiny PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x10\x80\xf0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 60
WEBP_BYTES = b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 20
