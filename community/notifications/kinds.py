"""The registry of notification kinds: each room says, for the events it publishes, whom to tell
and how the message reads.

A room registers in its own `init_app` (for example `payouts.notices`):

    kinds.register("payout_paid", render_paid)        # params -> text in the reader's language
    kinds.notify_on(events.PayoutChanged, notice_for)  # event -> Notice(s), or None

`notify_on` subscribes to the event: when it is published, the notices are written in the same
transaction (`services.deliver`). Notifications itself imports no room; the referral spine,
which may not import it, has its kinds registered by `notifications.referral_notices`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select

from community import events

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=events.Event)
Render = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Notice:
    """One message to write: `kind` with plain `params`, for the people `to` (their ids, or a
    SELECT of user ids for many), linking to `link`, dated `at` (default now)."""

    kind: str
    to: Iterable[int] | Select[Any]
    params: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    at: datetime | None = None


_RENDERERS: dict[str, Render] = {}
_SUBSCRIBED: dict[tuple[type[events.Event], Callable[..., Any]], Callable[..., None]] = {}


def register(kind: str, render: Render) -> None:
    """Say how a `kind` of notification reads (`render(params)`, in the current language)."""
    _RENDERERS[kind] = render


def registered() -> tuple[str, ...]:
    return tuple(_RENDERERS)


def render(kind: str, params: dict[str, Any]) -> str:
    """The text of a notification of `kind` in the reader's language. A kind nobody registers
    any more (a room removed) still reads as something."""
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        return _("You have a new notification.")
    try:
        return renderer(params)
    except (KeyError, TypeError, ValueError):  # params written by an older version
        logger.warning("notification of kind %s has params it cannot render: %r", kind, params)
        return _("You have a new notification.")


def notify_on(
    event_type: type[E], notices: Callable[[E], Notice | Iterable[Notice] | None]
) -> None:
    """Write the notices `notices(event)` gives whenever `event_type` is published."""
    from community.notifications.services import deliver

    def listener(event: E) -> None:
        found = notices(event)
        if found is None:
            return
        for notice in [found] if isinstance(found, Notice) else found:
            deliver(notice)

    listener.__qualname__ = f"notify_on({event_type.__name__}, {notices.__qualname__})"
    listener.__module__ = notices.__module__  # it runs on behalf of the room that registered it
    # One listener per (event, notices), however many apps are created in this process.
    events.subscribe(event_type, _SUBSCRIBED.setdefault((event_type, notices), listener))
