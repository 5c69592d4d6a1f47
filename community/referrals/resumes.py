"""Resume files: accepted only when their content is a PDF or a Word document, whatever the name
says; stored privately (`core.uploads`) and downloaded only through the referral's page.

A resume sent with a referral form that was not accepted is *held* (`UPLOAD_FOLDER/
pending-resumes`) for RESUME_KEEP_MINUTES under a token bound to the referrer, so the next try
need not choose it again; it is released once used, and stale ones are swept when the next one
is held and by the worker every minute (the `referrals.sweep-resumes` duty)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from community.core.uploads import (
    HeldFile,
    HoldingFolder,
    PrivateFolder,
    UploadError,
    check_office_zip,
    read_limited,
)

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOLDER = PrivateFolder("resumes")
PENDING = HoldingFolder(PrivateFolder("pending-resumes"), purpose="resume")


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


def keep_minutes() -> int:
    return int(current_app.config["RESUME_KEEP_MINUTES"])


def hold_resume(resume: CheckedResume, owner_id: int) -> HeldFile:
    """Keep a checked resume for `owner_id`'s next try of the form."""
    return PENDING.hold(
        resume.content, resume.extension, owner_id, resume.filename, keep_minutes() * 60
    )


def find_held_resume(token: str, owner_id: int) -> HeldFile:
    """The resume `owner_id` holds under `token`; HeldFileError when it expired, is someone
    else's, or was used."""
    return PENDING.find(token, owner_id, keep_minutes() * 60)


def read_held_resume(held: HeldFile) -> CheckedResume:
    """The held file, checked again as any upload is."""
    return check_resume(io.BytesIO(PENDING.read(held)), held.filename)


def release_held_resume(held: HeldFile | None) -> None:
    PENDING.release(held)


def sweep_held_resumes() -> int:
    """Remove held resumes older than RESUME_KEEP_MINUTES; return how many."""
    return PENDING.sweep(keep_minutes() * 60)
