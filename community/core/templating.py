"""Template globals and filters shared by every page."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from babel.dates import format_skeleton
from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup

from community.core import viewer
from community.core.htmx import apply_triggers
from community.core.i18n import current_locale
from community.core.localized import language_of, localized, localized_item, localized_list
from community.core.markup import render_markdown
from community.core.money import Money
from community.core.places import place_label

T = TypeVar("T")


def money(value: Money | None) -> str:
    if value is None:
        return ""
    return value.format(str(get_locale() or "zh_CN"))


def local_datetime(value: datetime | None, style: str = "medium") -> str:
    return format_datetime(value, style) if value else ""


def local_date(value: Any, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def number(value: float | None) -> str:
    """A number in the reader's language ("1,234.5"); nothing for None."""
    return format_decimal(value) if value is not None else ""


def month_name(value: date | None) -> str:
    """A month in the reader's language: "November 2026", "2026年11月"."""
    return format_skeleton("yMMMM", value, locale=get_locale() or "zh_CN") if value else ""


def markdown_filter(text: str | None, ugc: bool = False) -> Markup:
    return render_markdown(text, ugc=ugc)


def _context() -> dict[str, Any]:
    return {"current_locale": current_locale()}


def kept(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """`build()`, made once per app for `key` and kept: for pieces of pages that depend on
    nothing but the key (links, the navigation, labels in one language)."""
    store = current_app.extensions.setdefault("community_kept", {})
    found = store.get(key)
    if found is None:
        found = store[key] = build()
    return found  # type: ignore[no-any-return]


class _Recent:
    """The most recently used pieces, at most `size` of them (the least recently used leave)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pieces: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()  # (a threaded server shares the store between requests)


RECENT_PIECES = 4000


def recent(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """`build()`, kept for `key` among the app's most recently used pieces (RECENT_PIECES, or
    the app's setting of that name): like `kept`, for pieces that depend on nothing but the
    key, but whose keys are many (one per reader and page)."""
    store = current_app.extensions.get("community_recent")
    if store is None:
        size = int(current_app.config.get("RECENT_PIECES", RECENT_PIECES))
        store = current_app.extensions.setdefault("community_recent", _Recent(size))
    with store.lock:
        found = store.pieces.get(key)
        if found is not None:
            store.pieces.move_to_end(key)
            return found  # type: ignore[no-any-return]
    found = build()
    with store.lock:
        store.pieces[key] = found
        while len(store.pieces) > store.size:
            store.pieces.popitem(last=False)
    return found


def render_piece(template: str, **context: Any) -> str:
    """Render `template` with `context` and the template globals only, without Flask's context
    processors: for a piece of a page whose variables are all passed in (and which is rendered
    on every request, or kept)."""
    return current_app.jinja_env.get_template(template).render(context)


def link(endpoint: str) -> str:
    """`url_for(endpoint)` for an endpoint without values, built once per app and mount point:
    such a link depends only on the URL map and the script root."""
    if not has_request_context():
        return url_for(endpoint)
    return kept(("link", endpoint, request.script_root), lambda: url_for(endpoint))


def template_url_for(endpoint: str, /, **values: Any) -> str:
    """Templates' `url_for`, remembering the links every page repeats: an endpoint without values
    (`link`) or a static file (some thirty per page). Anything else (values, a relative
    ".endpoint", _external…) goes to Flask's `url_for` as usual."""
    if endpoint[0] == "." or not has_request_context():
        return url_for(endpoint, **values)
    if not values:
        return link(endpoint)
    if endpoint == "static" and len(values) == 1 and "filename" in values:
        key = ("static", values["filename"], request.script_root)
        return kept(key, lambda: url_for(endpoint, **values))
    return url_for(endpoint, **values)


def main_nav(
    endpoint: str, own_referral: bool, other_profile: bool, hr: bool, manager: bool = False
) -> Markup:
    """The main navigation (templates/_main_nav.html) for the page at `endpoint`, as `hr` staff,
    a `manager` or neither. It holds nothing personal, only links, labels and which one is active, so it is
    rendered once per language, role, page and mount point and kept: some thirty links and
    labels a navigation bar need not redo for each new reader."""
    key = (
        "nav",
        current_locale(),
        hr,
        manager,
        endpoint,
        own_referral,
        other_profile,
        request.script_root,
    )
    # render_piece: the template sees only what is passed (no current_user, no request), so
    # nothing outside the key can reach a navigation kept for other readers.
    return kept(
        key,
        lambda: Markup(
            render_piece(
                "_main_nav.html",
                endpoint=endpoint,
                own_referral=own_referral,
                other_profile=other_profile,
                hr=hr,
                manager=manager,
            )
        ),
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["main_nav"] = main_nav
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["localized_list"] = localized_list
    app.jinja_env.globals["localized_item"] = localized_item
    app.jinja_env.globals["language_of"] = language_of
    app.jinja_env.globals["place_label"] = place_label

    app.jinja_env.globals["viewer_counts"] = viewer.counts

    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["dt"] = local_datetime
    app.jinja_env.filters["d"] = local_date
    app.jinja_env.filters["month_name"] = month_name
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["markdown"] = markdown_filter
    app.context_processor(_context)
    app.after_request(apply_triggers)
