"""Resume files: accepted only when their content is a PDF or a Word document, whatever the name
says; stored privately (`core.uploads`) and downloaded only through the referral's page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from community.core.uploads import PrivateFolder, UploadError, check_office_zip, read_limited

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOLDER = PrivateFolder("resumes")


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


def check_resume(
    stream: IO[bytes], filename: str | None, max_bytes: int | None = None
) -> CheckedResume:
    """Read an uploaded resume and accept it only if its content is a PDF or a safe DOCX (no
    macros, no zip bomb: `core.uploads.check_office_zip`) within the limit; UploadError (field
    "resume") otherwise."""
    limit = max_bytes or current_app.config["RESUME_MAX_BYTES"]
    content = read_limited(
        stream,
        limit,
        empty=_("The resume file is empty."),
        too_large=_(
            "The resume is too large. The limit is %(size)s MB.", size=limit // (1024 * 1024)
        ),
        field="resume",
    )
    if content.startswith(b"%PDF-"):
        return CheckedResume(content, _clean_filename(filename, "pdf"), PDF_MIMETYPE, "pdf")
    # A DOCX is a zip holding word/document.xml; macros, zip bombs and odd part names are refused.
    if check_office_zip(content, "word/document.xml", field="resume"):
        return CheckedResume(content, _clean_filename(filename, "docx"), DOCX_MIMETYPE, "docx")
    raise UploadError(
        _("The resume must be a PDF or a Word (.docx) document. This file is neither."),
        field="resume",
    )


def store_resume(resume: CheckedResume) -> str:
    """Write the resume under a random name and return that name."""
    return FOLDER.store(resume.content, resume.extension)


def resume_path(stored_name: str | None) -> Path | None:
    return FOLDER.find(stored_name)


def delete_resume(stored_name: str | None) -> None:
    FOLDER.delete(stored_name)
