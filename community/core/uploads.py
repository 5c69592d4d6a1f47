"""Uploaded files: read within a limit, checked by their content by the room that takes them
(`referrals.resumes`, `perks.pictures`), stored privately under UPLOAD_FOLDER with a random name.

Files live outside `static/` and are only ever served through a permission-checked route. A file
is written only after every check passed; a room removes it again when the database write that
should reference it fails, so no orphan file is left on disk.
"""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from community.core.errors import DomainError

logger = logging.getLogger(__name__)


class UploadError(DomainError):
    """A file the person can fix (wrong type, too large, empty); the message says how."""


def read_limited(
    stream: IO[bytes], limit: int, *, empty: str, too_large: str, field: str | None = None
) -> bytes:
    """The whole upload, refused with `empty` or `too_large` (messages for the form `field`)
    unless it has 1…limit bytes."""
    content = stream.read(limit + 1)
    if not content:
        raise UploadError(empty, field=field)
    if len(content) > limit:
        raise UploadError(too_large, field=field)
    return content


@dataclass(frozen=True)
class PrivateFolder:
    """A folder of UPLOAD_FOLDER that only the app reads (e.g. "resumes", "perks")."""

    name: str

    @property
    def path(self) -> Path:
        return Path(current_app.config["UPLOAD_FOLDER"]) / self.name

    def store(self, content: bytes, extension: str) -> str:
        """Write `content` under a new random name (atomically) and return the name."""
        folder = self.path
        folder.mkdir(parents=True, exist_ok=True)
        stored_name = f"{secrets.token_hex(16)}.{extension}"
        tmp = folder / f".{stored_name}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, folder / stored_name)
        return stored_name

    def find(self, stored_name: str | None) -> Path | None:
        """The file for a stored name, or None when the name is not one of ours."""
        if not stored_name or "/" in stored_name or "\\" in stored_name:
            return None
        if stored_name.startswith("."):
            return None
        path = self.path / stored_name
        return path if path.is_file() else None

    def delete(self, stored_name: str | None) -> None:
        """Remove a stored file (a missing one is fine; a failure is logged)."""
        path = self.find(stored_name)
        if path is None:
            return
        try:
            path.unlink()
        except OSError:
            logger.warning("could not remove %s/%s", self.name, stored_name, exc_info=True)


# Files kept between two tries of a form ---------------------------------------------------


class HeldFileError(DomainError):
    """A held file that cannot be used: `code` "expired" (older than allowed; removed) or
    "unknown" (a token that is not valid, another person's, or already used)."""


def _unknown_held_file() -> HeldFileError:
    return HeldFileError(
        _("The file you chose earlier is no longer available. Please choose it again."),
        code="unknown",
    )


@dataclass(frozen=True)
class HeldFile:
    """A file kept for one person between two tries of a form."""

    token: str  # signed: the stored name, the owner and the original file name
    stored_name: str
    filename: str
    path: Path


@dataclass(frozen=True)
class HoldingFolder:
    """A private folder of files someone uploaded with a form that was not accepted yet, so they
    need not choose them again. Each is stored under a random name and known by a token signed
    with SECRET_KEY that names its owner: the token is useless to anyone else, and after
    `max_age` seconds. Files older than that are swept when the next one is held, and by a
    command (`sweep`); a used one is released by whoever used it."""

    folder: PrivateFolder
    purpose: str  # kept apart from other signed values (a salt)

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            current_app.config["SECRET_KEY"], salt=f"held-upload:{self.purpose}"
        )

    def hold(
        self, content: bytes, extension: str, owner_id: int, filename: str, max_age: int
    ) -> HeldFile:
        """Store `content` for `owner_id` and return it with its token (stale files go first)."""
        self.sweep(max_age)
        stored_name = self.folder.store(content, extension)
        now = time.time()  # the app's clock (a test may move it), which `sweep` compares with
        os.utime(self.folder.path / stored_name, (now, now))
        token = self._serializer().dumps({"o": owner_id, "f": stored_name, "n": filename})
        return HeldFile(token, stored_name, filename, self.folder.path / stored_name)

    def find(self, token: str, owner_id: int, max_age: int) -> HeldFile:
        """The file `token` names, if it is `owner_id`'s, younger than `max_age` seconds and still
        there; HeldFileError otherwise (an expired one is removed)."""
        serializer = self._serializer()
        try:
            payload = serializer.loads(token, max_age=max_age)
        except SignatureExpired:
            _signed, stale = serializer.loads_unsafe(token)
            if isinstance(stale, dict) and stale.get("o") == owner_id:
                self.folder.delete(str(stale.get("f")))
            raise HeldFileError(
                _(
                    "The file you chose earlier was kept for a limited time only. Please choose it again."
                ),
                code="expired",
            ) from None
        except BadSignature:
            payload = None
        stored_name = str(payload.get("f") or "") if isinstance(payload, dict) else ""
        path = self.folder.find(stored_name) if stored_name else None
        if path is None or not isinstance(payload, dict) or payload.get("o") != owner_id:
            raise _unknown_held_file()
        return HeldFile(token, stored_name, str(payload.get("n") or ""), path)

    def read(self, held: HeldFile) -> bytes:
        """The held file's content; HeldFileError if it went meanwhile (used by a parallel try)."""
        try:
            return held.path.read_bytes()
        except OSError:
            raise _unknown_held_file() from None

    def release(self, held: HeldFile | None) -> None:
        """Remove a held file once it was used or replaced."""
        if held is not None:
            self.folder.delete(held.stored_name)

    def sweep(self, max_age: int) -> int:
        """Remove the files held longer than `max_age` seconds; return how many."""
        folder = self.folder.path
        if not folder.is_dir():
            return 0
        cutoff = time.time() - max_age
        removed = 0
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                logger.warning("could not sweep %s/%s", self.folder.name, path.name, exc_info=True)
        if removed:
            logger.info("swept %d held file(s) from %s", removed, self.folder.name)
        return removed


# Office documents (DOCX and friends are zip containers) -----------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """What an Office zip may hold. A real resume has a few dozen parts, inflates to a few times
    its size (pictures hardly compress, text about 10:1); a zip bomb inflates a thousand times."""

    max_entries: int = 1000
    max_inflated_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100  # inflated / compressed, of the whole file and of each part…
    large_part_bytes: int = 1024 * 1024  # …that inflates past this (small XML may pack tighter)
    max_content_types_bytes: int = 512 * 1024


OFFICE_ZIP_LIMITS = ZipLimits()
CONTENT_TYPES = "[Content_Types].xml"
# A part that carries VBA macros, wherever it is stored, and the content types that announce one.
_MACRO_PART = re.compile(r"(^|/)vbaproject(signature)?\.bin$|(^|/)vbadata\.xml$", re.IGNORECASE)
_MACRO_TYPE = re.compile(rb"macroenabled|vbaproject|vnd\.ms-office\.vba", re.IGNORECASE)


class InflationLimit(Exception):
    """A zip part inflated past what the caller allowed (whatever its header claimed)."""


def read_zip_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Inflate one part in small steps and stop as soon as it passes `cap` bytes, so a part whose
    header understates its size never fills memory. Raises InflationLimit past the cap (and
    zipfile.BadZipFile when the data does not match the header's CRC)."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(64 * 1024):
            total += len(chunk)
            if total > cap:
                raise InflationLimit(info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def _unsafe_name(name: str) -> bool:
    """A part name that could leave the folder it is unpacked into, or is not a plain path."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def check_office_zip(
    content: bytes,
    main_part: str,
    *,
    field: str | None = None,
    limits: ZipLimits = OFFICE_ZIP_LIMITS,
) -> bool:
    """Whether `content` is an Office zip container holding `main_part` (e.g. word/document.xml
    for DOCX). False when it is not such a document at all; UploadError (for the form `field`)
    when it is one that must not be accepted: damaged or encrypted, too many parts, part names
    that climb out of their folder, more inflated data or a higher compression ratio than
    `limits` allow (a zip bomb), or macros (a vbaProject part, a macro-enabled content type).

    Only the central directory is read, plus [Content_Types].xml inflated under a cap; nothing
    else is inflated.
    """
    if not content.startswith(b"PK"):
        return False

    def refuse(message: str) -> UploadError:
        return UploadError(message, field=field)

    damaged = _("This document is damaged and cannot be read. Save it again, or upload a PDF.")
    too_big = _(
        "This document unpacks to far more data than its size, which is how harmful files are built. Save it again as a normal document, or upload a PDF."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if main_part not in names:
            return False
        if len(infos) > limits.max_entries:
            raise refuse(
                _(
                    "This document is made of more than %(count)d parts, far more than a real one. Save it again, or upload a PDF.",
                    count=limits.max_entries,
                )
            )
        if len(set(names)) != len(names) or any(_unsafe_name(name) for name in names):
            raise refuse(
                _(
                    "This document contains file names that are not allowed. Save it again, or upload a PDF."
                )
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise refuse(
                _(
                    "This document is password-protected. Remove the password and upload it again, or upload a PDF."
                )
            )

        def packed_too_tight(inflated: int, compressed: int) -> bool:
            return inflated > limits.large_part_bytes and inflated > limits.max_ratio * max(
                compressed, 1
            )

        inflated = sum(info.file_size for info in infos)
        compressed = sum(info.compress_size for info in infos)
        if (
            inflated > limits.max_inflated_bytes
            or packed_too_tight(inflated, compressed)
            or any(packed_too_tight(info.file_size, info.compress_size) for info in infos)
        ):
            raise refuse(too_big)
        if any(_MACRO_PART.search(name) for name in names):
            raise _macros(field)
        if CONTENT_TYPES in names:
            try:
                types = read_zip_part(
                    archive, archive.getinfo(CONTENT_TYPES), limits.max_content_types_bytes
                )
            except InflationLimit:
                raise refuse(too_big) from None
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise refuse(damaged) from None  # (NotImplementedError: a method Office never uses)
            if _MACRO_TYPE.search(types):
                raise _macros(field)
    return True


def _macros(field: str | None) -> UploadError:
    return UploadError(
        _(
            "This document contains macros, which we do not accept because they can run code. Save it as a plain Word document (.docx) or a PDF and upload that."
        ),
        field=field,
    )
