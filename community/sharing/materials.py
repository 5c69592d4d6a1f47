"""A session's slides (a PDF, checked by its content like a résumé and stored privately under
UPLOAD_FOLDER/sharing-slides, served only to signed-in people) and its recording link (once the
session has started)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from community.accounts.models import User
from community.core.errors import CONFLICT
from community.core.time import utcnow
from community.core.transaction import committed
from community.core.uploads import PrivateFolder, UploadError, read_limited
from community.extensions import db
from community.sharing.models import SharingSession
from community.sharing.rules import SharingError, web_link
from community.sharing.services import locked, require_manager, require_open

FOLDER = PrivateFolder("sharing-slides")
PDF_MIMETYPE = "application/pdf"


def _download_name(name: str | None) -> str:
    """The original name for the download, minus any path and control characters, as .pdf."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    return f"{(stem or 'slides')[:180]}.pdf"


def check_slides(stream: IO[bytes], filename: str | None) -> bytes:
    """The upload's bytes if it is a PDF within SHARING_SLIDES_MAX_BYTES; UploadError (field
    "slides") otherwise. The content decides, whatever the name says."""
    limit = int(current_app.config["SHARING_SLIDES_MAX_BYTES"])
    content = read_limited(
        stream,
        limit,
        empty=_("The slides file is empty."),
        too_large=_(
            "The slides are too large. The limit is %(size)s MB.", size=limit // (1024 * 1024)
        ),
        field="slides",
    )
    if not content.startswith(b"%PDF-"):
        raise UploadError(
            _("Slides must be a PDF. Export them from your presentation app as PDF."),
            field="slides",
        )
    return content


def attach_slides(
    actor: User, session_id: int, stream: IO[bytes] | None, filename: str | None
) -> SharingSession:
    """Attach (or replace) the session's slides. The file is written only after every check
    passed, and removed again if the database write fails; a replaced file goes after commit."""
    if stream is None:
        raise SharingError(_("Choose a PDF to upload."), field="slides")
    content = check_slides(stream, filename)
    stored = None
    try:
        with committed():
            session = locked(session_id)
            require_manager(actor, session)
            require_open(session)
            stored = FOLDER.store(content, "pdf")
            previous = session.slides_file
            session.slides_file = stored
            session.slides_filename = _download_name(filename)
            session.updated_at = utcnow()
    except Exception:
        FOLDER.delete(stored)
        raise
    FOLDER.delete(previous)
    return session


def remove_slides(actor: User, session_id: int) -> SharingSession:
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        previous = session.slides_file
        session.slides_file = session.slides_filename = None
        session.updated_at = utcnow()
    FOLDER.delete(previous)
    return session


def slides_path(session: SharingSession) -> Path | None:
    return FOLDER.find(session.slides_file)


def set_recording(actor: User, session_id: int, link: str | None) -> SharingSession:
    """The recording's link, once the session has started ("" removes it)."""
    with committed():
        session = locked(session_id)
        require_manager(actor, session)
        require_open(session)
        if session.starts_at > utcnow():
            raise SharingError(
                _("A recording can be added once the session has started."),
                field="recording_url",
                status=CONFLICT,
            )
        session.recording_url = web_link(link, "recording_url") or None
        session.updated_at = utcnow()
        db.session.flush()
    return session
