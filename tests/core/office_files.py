"""Crafted Office files for upload tests: real DOCX parts, macros, zip bombs and zips whose headers
lie, built here byte by byte (never a file from elsewhere) and without allocating what they
inflate to."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

WORD_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT = (
    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
    '2006/main"><w:body><w:p><w:r><w:t>Resume</w:t></w:r></w:p></w:body></w:document>'
)


def docx(*extra: tuple[str, bytes | str], main_type: str = DOCX_MAIN) -> bytes:
    """A small real DOCX, with `extra` parts added (name, content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", WORD_TYPES.format(main=main_type))
        archive.writestr("word/document.xml", DOCUMENT)
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_with_zeros(megabytes: int, name: str = "word/media/image1.bin") -> bytes:
    """A DOCX with a part of `megabytes` MB of zeros (about 1000:1), written 1 MB at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", WORD_TYPES.format(main=DOCX_MAIN))
        archive.writestr("word/document.xml", DOCUMENT)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as part:
            for _ in range(megabytes):
                part.write(bytes(1 << 20))
    return buffer.getvalue()


def deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream that inflates to `megabytes` MB of zeros, about 1 KB per MB: one
    fully flushed block (it refers to nothing before it) repeated, then a final empty block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + b"\x03\x00"


@dataclass
class RawPart:
    name: str
    data: bytes  # as stored (already compressed when method is 8)
    declared_size: int  # the inflated size the headers claim
    crc: int = 0
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def raw_zip(*parts: RawPart) -> bytes:
    """A zip written by hand, so that its headers may say whatever a test needs."""
    out = bytearray()
    central = bytearray()
    for part in parts:
        name = part.name.encode()
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            part.flags,
            part.method,
            0,
            0x21,
            part.crc,
            len(part.data),
            part.declared_size,
            len(name),
            0,
        )
        out += name + part.data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            part.flags,
            part.method,
            0,
            0x21,
            part.crc,
            len(part.data),
            part.declared_size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    start = len(out)
    out += central
    out += struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), start, 0
    )
    return bytes(out)


def deflated(text: str | bytes) -> RawPart:
    """A truthful part: `text` deflated, with its real size and CRC."""
    data = text.encode() if isinstance(text, str) else text
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return RawPart("", compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data))


def named(name: str, part: RawPart) -> RawPart:
    part.name = name
    return part
