"""Resume files: checked by content, stored privately under UPLOAD_FOLDER with a random name.

Files live outside `static/` and are only ever served through the permission-checked download
route. A file is written only after every refusal check passed, and removed again when the
database write that should reference it fails, so no orphan file is left on disk.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

logger = logging.getLogger(__name__)

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ResumeError(ValueError):
    """A resume the referrer can fix (wrong type, too large, empty). Carries a translated message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedResume:
    content: bytes
    filename: str
    mimetype: str
    extension: str


def _clean_filename(name: str | None, extension: str) -> str:
    """Keep the original name for the download, minus any path and control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    if not base:
        base = "resume"
    stem, dot, ext = base.rpartition(".")
    if not dot or ext.lower() != extension:
        # The stored type is what the content is, whatever the name claimed.
        stem = base if not dot else stem
        base = f"{stem}.{extension}"
    if len(base) > 200:
        base = base[: 200 - len(extension) - 1] + "." + extension
    return base


def _looks_like_docx(content: bytes) -> bool:
    if not content.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_resume(
    stream: IO[bytes], filename: str | None, max_bytes: int | None = None
) -> CheckedResume:
    """Read an uploaded resume and accept it only if its content is a PDF or a DOCX within the limit."""
    limit = max_bytes or current_app.config["RESUME_MAX_BYTES"]
    content = stream.read(limit + 1)
    if not content:
        raise ResumeError(_("The resume file is empty."))
    if len(content) > limit:
        raise ResumeError(
            _("The resume is too large. The limit is %(size)s MB.", size=limit // (1024 * 1024))
        )
    if content.startswith(b"%PDF-"):
        return CheckedResume(content, _clean_filename(filename, "pdf"), PDF_MIMETYPE, "pdf")
    if _looks_like_docx(content):
        return CheckedResume(content, _clean_filename(filename, "docx"), DOCX_MIMETYPE, "docx")
    raise ResumeError(
        _("The resume must be a PDF or a Word (.docx) document. This file is neither.")
    )


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "resumes"


def store_resume(resume: CheckedResume) -> str:
    """Write the resume under a random name and return that name."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{resume.extension}"
    path = folder / stored_name
    tmp = folder / f".{stored_name}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(resume.content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return stored_name


def resume_path(stored_name: str) -> Path | None:
    """The file on disk for a stored name, or None when the name is not one of ours."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        return None
    path = upload_folder() / stored_name
    return path if path.is_file() else None


def delete_resume(stored_name: str | None) -> None:
    if not stored_name:
        return
    path = resume_path(stored_name)
    if path is None:
        return
    try:
        path.unlink()
    except OSError:
        logger.warning("could not remove resume file %s", stored_name, exc_info=True)
