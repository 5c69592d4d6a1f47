"""The notification an announcement sends every active person, written by one INSERT … SELECT
however many people there are."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register

ANNOUNCEMENT = "announcement"


def _announcement(params: dict[str, Any]) -> str:
    return _(
        "HR posted an announcement on the thanks wall: %(title)s", title=params.get("title", "")
    )


def posted(event: events.AnnouncementPosted) -> Notice:
    return Notice(
        ANNOUNCEMENT,
        to=select(User.id).where(User.is_active_account.is_(True)),
        params={"title": event.title, "post_id": event.post_id},
        link=url("thanks.index", _anchor=f"thanks-{event.post_id}"),
        at=event.at,
    )


def init_app() -> None:
    register(ANNOUNCEMENT, _announcement)
    notify_on(events.AnnouncementPosted, posted)
