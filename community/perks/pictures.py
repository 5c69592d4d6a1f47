"""Perk pictures: checked by content (PNG, JPEG or WebP, whatever the name says), stored privately
under UPLOAD_FOLDER/perks with a random name, and served only through the login-required route."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

logger = logging.getLogger(__name__)

# Content signature → (mimetype, extension).
PNG = ("image/png", "png")
JPEG = ("image/jpeg", "jpg")
WEBP = ("image/webp", "webp")
MIMETYPES = {"png": PNG[0], "jpg": JPEG[0], "webp": WEBP[0]}


class PictureError(ValueError):
    """A picture HR can fix (wrong type, too large, empty). Carries a translated message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedPicture:
    content: bytes
    mimetype: str
    extension: str


def sniff(content: bytes) -> tuple[str, str] | None:
    """(mimetype, extension) when `content` starts like a PNG, JPEG or WebP image, else None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    return None


def check_picture(stream: IO[bytes], max_bytes: int | None = None) -> CheckedPicture:
    """Read an uploaded picture and accept it only if it is a PNG, JPEG or WebP within the limit."""
    limit = max_bytes or current_app.config["PERK_PICTURE_MAX_BYTES"]
    content = stream.read(limit + 1)
    if not content:
        raise PictureError(_("The picture file is empty."))
    if len(content) > limit:
        raise PictureError(
            _("The picture is too large. The limit is %(size)s MB.", size=limit // (1024 * 1024))
        )
    kind = sniff(content)
    if kind is None:
        raise PictureError(_("The picture must be a PNG, JPEG or WebP image. This file is not."))
    return CheckedPicture(content, kind[0], kind[1])


def picture_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "perks"


def store_picture(picture: CheckedPicture) -> str:
    """Write the picture under a random name and return that name."""
    folder = picture_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{picture.extension}"
    tmp = folder / f".{stored_name}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(picture.content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / stored_name)
    return stored_name


def picture_path(stored_name: str | None) -> Path | None:
    """The file on disk for a stored name, or None when the name is not one of ours."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        return None
    path = picture_folder() / stored_name
    return path if path.is_file() else None


def delete_picture(stored_name: str | None) -> None:
    path = picture_path(stored_name)
    if path is None:
        return
    try:
        path.unlink()
    except OSError:
        logger.warning("could not remove perk picture %s", stored_name, exc_info=True)
