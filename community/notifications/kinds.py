"""The registry of notification kinds: each room says, for the events it publishes, whom to tell
and how the message reads.

A room registers in its own `init_app` (for example `payouts.notices`):

    kinds.register("payout_paid", render_paid)        # params -> text in the reader's language
    kinds.notify_on(events.PayoutChanged, notice_for)  # event -> Notice(s), or None

`notify_on` subscribes to the event. What one cause sets off (`events.Cause`: a hire earns
points, a badge and a bonus, each announced by its own room) becomes ONE notification per
person: the notice of the outermost event leads, the others become its detail lines, and the
rows are written when the cause has settled, in the same transaction (`services.gather`). A kind
may say how it reads as such a line (`line`), which words of someone else it quotes (`quotes`:
HR's feedback, shown as written), and how two of it in one notification become one line
(`combine`: +10 and +50 points read "+60 points"). Everything is rendered when the notification
is shown, in the reader's language, from the kind and its params: no text is stored.

Notifications itself imports no room; the referral spine, which may not import it, has its kinds
registered by `notifications.referral_notices`.
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
Params = dict[str, Any]
Render = Callable[[Params], str]
Quotes = Callable[[Params], list[tuple[str, str]]]
Combine = Callable[[Params, Params], Params]


@dataclass(frozen=True)
class Notice:
    """One message to write: `kind` with plain `params`, for the people `to` (their ids, or a
    SELECT of user ids for many), linking to `link`, dated `at` (default now).

    `standalone=False` marks a notice that only makes sense under what caused it (+10 points):
    it becomes a line of that notification, and nothing on its own (an HR adjustment's points
    are not announced)."""

    kind: str
    to: Iterable[int] | Select[Any]
    params: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    at: datetime | None = None
    standalone: bool = True


@dataclass(frozen=True)
class Kind:
    """How a kind of notification reads: `render` as the message itself, `line` as one detail
    line under another (default: `render`), `quotes` the words someone wrote for the reader as
    (label, text) pairs, and `combine` two of it in one notification as one."""

    render: Render
    line: Render | None = None
    quotes: Quotes | None = None
    combine: Combine | None = None


_KINDS: dict[str, Kind] = {}
_SUBSCRIBED: dict[tuple[type[events.Event], Callable[..., Any]], Callable[..., None]] = {}


def register(
    kind: str,
    render: Render,
    *,
    line: Render | None = None,
    quotes: Quotes | None = None,
    combine: Combine | None = None,
) -> None:
    """Say how a `kind` of notification reads (`render(params)`, in the current language), and
    optionally how it reads as a detail line, what it quotes, and how two of it combine."""
    _KINDS[kind] = Kind(render, line, quotes, combine)


def registered() -> tuple[str, ...]:
    return tuple(_KINDS)


def _unknown() -> str:
    return _("You have a new notification.")


def _safely(kind: str, params: Params, read: Callable[[Kind], Any], fallback: Any) -> Any:
    """`read(kind)`, or `fallback` for a kind nobody registers any more (a room removed) or
    params an older version wrote that it cannot read."""
    registered_kind = _KINDS.get(kind)
    if registered_kind is None:
        return fallback
    try:
        return read(registered_kind)
    except (KeyError, TypeError, ValueError):
        logger.warning("notification of kind %s has params it cannot render: %r", kind, params)
        return fallback


def render(kind: str, params: Params) -> str:
    """The text of a notification of `kind` in the reader's language. A kind nobody registers
    any more (a room removed) still reads as something."""
    return str(_safely(kind, params, lambda k: k.render(params), _unknown()))


def render_line(kind: str, params: Params) -> str:
    """`kind` as one detail line under another notification, in the reader's language."""
    return str(_safely(kind, params, lambda k: (k.line or k.render)(params), _unknown()))


def quotes(kind: str, params: Params) -> list[tuple[str, str]]:
    """The (label, text) pairs `kind` quotes: someone's own words, shown as they wrote them."""
    return list(_safely(kind, params, lambda k: k.quotes(params) if k.quotes else [], []))


def combine(kind: str, first: Params, second: Params) -> Params | None:
    """`first` and `second` of `kind` as one, or None when the kind does not combine."""
    registered_kind = _KINDS.get(kind)
    if registered_kind is None or registered_kind.combine is None:
        return None
    return registered_kind.combine(first, second)


def notify_on(
    event_type: type[E], notices: Callable[[E], Notice | Iterable[Notice] | None]
) -> None:
    """Write the notices `notices(event)` gives whenever `event_type` is published, gathered
    with the others of the same cause (see the module's notes)."""
    from community.notifications.services import gather

    def listener(event: E) -> None:
        found = notices(event)
        if found is None:
            return
        for notice in [found] if isinstance(found, Notice) else found:
            gather(notice, event)

    listener.__qualname__ = f"notify_on({event_type.__name__}, {notices.__qualname__})"
    listener.__module__ = notices.__module__  # it runs on behalf of the room that registered it
    # One listener per (event, notices), however many apps are created in this process.
    events.subscribe(event_type, _SUBSCRIBED.setdefault((event_type, notices), listener))
