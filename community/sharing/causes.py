"""How sessions explain their ledger entries on "My points": points for attending a session (or
their taking back when the host unticked the person), naming the session in the reader's
language (`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from community.core.links import url
from community.core.localized import localized
from community.extensions import db
from community.points.causes import Cause, register
from community.points.models import PointEntry
from community.sharing.models import SharingSession

PREFIX = "sharing:"


def _session_id(entry: PointEntry) -> int | None:
    parts = entry.idempotency_key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    ours = {e.id: e for e in entries if e.idempotency_key.startswith(PREFIX)}
    if not ours:
        return {}
    ids = {i for e in ours.values() if (i := _session_id(e)) is not None}
    sessions = {
        s.id: s
        for s in db.session.scalars(select(SharingSession).where(SharingSession.id.in_(ids)))
    }
    found: dict[int, Cause] = {}
    for entry in ours.values():
        session = sessions.get(_session_id(entry) or 0)
        if session is None:
            continue
        link = url("sharing.detail", session_id=session.id)
        title = localized(session, "title")
        if entry.amount > 0:
            found[entry.id] = Cause(
                "bi-easel", _("Attended a sharing session"), link=link, link_text=title
            )
        else:
            found[entry.id] = Cause(
                "bi-arrow-counterclockwise",
                _("Attendance points taken back"),
                detail=_("The host took you off the session's attendance list."),
                link=link,
                link_text=title,
            )
    return found


def init_app() -> None:
    register(describe)
