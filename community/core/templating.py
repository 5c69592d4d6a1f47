"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from markupsafe import Markup

from community.core import permissions, viewer
from community.core.htmx import apply_triggers
from community.core.i18n import current_locale
from community.core.markup import render_markdown
from community.core.money import Money


def money(value: Money | None) -> str:
    if value is None:
        return ""
    return value.format(str(get_locale() or "zh_CN"))


def local_datetime(value: datetime | None, style: str = "medium") -> str:
    return format_datetime(value, style) if value else ""


def local_date(value: Any, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def markdown_filter(text: str | None) -> Markup:
    return render_markdown(text)


def _context() -> dict[str, Any]:
    return {"current_locale": current_locale()}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(permissions.PREDICATES)
    app.jinja_env.globals["viewer_counts"] = viewer.counts
    viewer.init_app(app)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["dt"] = local_datetime
    app.jinja_env.filters["d"] = local_date
    app.jinja_env.filters["markdown"] = markdown_filter
    app.context_processor(_context)
    app.after_request(apply_triggers)
