"""Perk pictures: accepted only when their content is a PNG, JPEG or WebP image, whatever the name
says; stored privately (`core.uploads`) and served only through the login-required route. A perk
without one is shown with the illustration of its category, drawn for this app as SVG in
static/img/perks (public, like the rest of the static files: they show nothing of anyone)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from community.core.uploads import PrivateFolder, UploadError, read_limited
from community.perks.models import Perk, PerkCategory

# Content signature → (mimetype, extension).
PNG = ("image/png", "png")
JPEG = ("image/jpeg", "jpg")
WEBP = ("image/webp", "webp")
MIMETYPES = {"png": PNG[0], "jpg": JPEG[0], "webp": WEBP[0]}
FOLDER = PrivateFolder("perks")


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
    """Read an uploaded picture and accept it only if it is a PNG, JPEG or WebP within the
    limit; UploadError (field "picture") otherwise."""
    limit = max_bytes or current_app.config["PERK_PICTURE_MAX_BYTES"]
    content = read_limited(
        stream,
        limit,
        empty=_("The picture file is empty."),
        too_large=_(
            "The picture is too large. The limit is %(size)s MB.", size=limit // (1024 * 1024)
        ),
        field="picture",
    )
    kind = sniff(content)
    if kind is None:
        raise UploadError(
            _("The picture must be a PNG, JPEG or WebP image. This file is not."), field="picture"
        )
    return CheckedPicture(content, kind[0], kind[1])


def store_picture(picture: CheckedPicture) -> str:
    """Write the picture under a random name and return that name."""
    return FOLDER.store(picture.content, picture.extension)


def picture_path(stored_name: str | None) -> Path | None:
    return FOLDER.find(stored_name)


def delete_picture(stored_name: str | None) -> None:
    FOLDER.delete(stored_name)


def illustration(perk: Perk) -> str:
    """The static file drawn for the perk's category (the "other" one when it has none yet)."""
    category = PerkCategory(perk.category or PerkCategory.OTHER)
    return f"img/perks/{category.value}.svg"
