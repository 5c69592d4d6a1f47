"""How "My points" explains a mentoring reward and its taking back (`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _

from community.core.links import url
from community.points.causes import Cause, register
from community.points.models import PointEntry

PREFIX = "mentoring:"


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    found: dict[int, Cause] = {}
    for entry in entries:
        if not entry.idempotency_key.startswith(PREFIX):
            continue
        pairing_id = int(entry.idempotency_key.split(":")[1])
        link = url("mentoring.pairing", pairing_id=pairing_id)
        if entry.amount > 0:
            found[entry.id] = Cause(
                "bi-people",
                _("Mentoring: your mentee's first referral passed screening"),
                link=link,
                link_text=_("The pairing"),
            )
        else:
            found[entry.id] = Cause(
                "bi-arrow-counterclockwise",
                _("Mentoring reward taken back"),
                detail=_("The mentee's referral was found to be a duplicate or a self-referral."),
                link=link,
                link_text=_("The pairing"),
            )
    return found


def init_app() -> None:
    register(describe)
