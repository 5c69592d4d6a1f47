"""Simple perk pictures drawn in code at seed time (no binary art in the repository): a diagonal
two-colour gradient with a soft circle and a motif, encoded as PNG with zlib."""

from __future__ import annotations

import struct
import zlib

WIDTH, HEIGHT = 480, 270

Colour = tuple[int, int, int]


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        int(a[0] + (b[0] - a[0]) * t),
        int(a[1] + (b[1] - a[1]) * t),
        int(a[2] + (b[2] - a[2]) * t),
    )


def perk_picture(start: Colour, end: Colour, motif: str = "circle") -> bytes:
    """A 480×270 PNG: gradient from `start` to `end`, a pale disc and a motif in the middle.

    Motifs: "sun" (rays), "cross" (health), "book" (stacked bars), "table" (dots round a disc),
    "gift" (a box with a ribbon), anything else a plain disc."""
    cx, cy, radius = WIDTH // 2, HEIGHT // 2, 82
    white: Colour = (255, 255, 255)
    rows: list[bytes] = []
    for y in range(HEIGHT):
        row = bytearray()
        for x in range(WIDTH):
            colour = _mix(start, end, (x + y) / (WIDTH + HEIGHT))
            dx, dy = x - cx, y - cy
            d2 = dx * dx + dy * dy
            if d2 <= radius * radius:
                colour = _mix(colour, white, 0.82)
                if _in_motif(motif, dx, dy):
                    colour = _mix(start, end, 0.35)
            elif motif == "sun" and d2 <= (radius + 30) ** 2 and (abs(dx) < 5 or abs(dy) < 5):
                colour = _mix(colour, white, 0.6)
            row += bytes(colour)
        rows.append(bytes(row))
    return _png(WIDTH, HEIGHT, rows)


def _in_motif(motif: str, dx: int, dy: int) -> bool:
    if motif == "sun":
        return dx * dx + dy * dy <= 38 * 38
    if motif == "cross":
        return (abs(dx) <= 14 and abs(dy) <= 46) or (abs(dy) <= 14 and abs(dx) <= 46)
    if motif == "book":
        return abs(dx) <= 46 and any(abs(dy - offset) <= 8 for offset in (-28, 0, 28))
    if motif == "table":
        if dx * dx + dy * dy <= 26 * 26:
            return True
        return any(
            (dx - ox) ** 2 + (dy - oy) ** 2 <= 10 * 10
            for ox, oy in (
                (0, -50),
                (0, 50),
                (-50, 0),
                (50, 0),
                (35, 35),
                (-35, -35),
                (35, -35),
                (-35, 35),
            )
        )
    if motif == "gift":
        box = abs(dx) <= 44 and -22 <= dy <= 44
        lid = abs(dx) <= 50 and -38 <= dy <= -22
        ribbon = abs(dx) <= 7 and -38 <= dy <= 44
        return (box or lid) and not ribbon or (abs(dy + 46) <= 7 and abs(abs(dx) - 14) <= 10)
    return False
