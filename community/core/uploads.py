"""Uploaded files: read within a limit, checked by their content by the room that takes them
(`referrals.resumes`, `perks.pictures`), stored privately under UPLOAD_FOLDER with a random name.

Files live outside `static/` and are only ever served through a permission-checked route. A file
is written only after every check passed; a room removes it again when the database write that
should reference it fails, so no orphan file is left on disk.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

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
