"""Leaderboard pages: the board with period tabs and a department picker, my rank and the people
around me, and a full-screen view for an office TV. Thin: parse → read the Redis boards → render."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_skeleton
from flask import Blueprint, Response, abort, current_app, get_template_attribute, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from community.accounts.models import Department, Role
from community.badges import queries as badge_queries
from community.core.htmx import render
from community.core.i18n import current_locale
from community.core.templating import kept, link
from community.core.time import utcnow
from community.extensions import db
from community.points import boards, keys, queries

bp = Blueprint("leaderboards", __name__, url_prefix="/leaderboard")

DEFAULT_PERIOD = "month"
PAGE_SIZE = 25
SCREEN_SIZE = 10
PERIOD_LABELS = {
    "week": _l("This week"),
    "month": _l("This month"),
    "quarter": _l("This quarter"),
    "year": _l("This year"),
    "all": _l("All time"),
}


@dataclass(frozen=True)
class BoardChoice:
    """Which board a request asks for: a period kind and the whole company or one department."""

    period: str
    department: Department | None

    @property
    def scope(self) -> str:
        return keys.department_scope(self.department.id) if self.department else keys.COMPANY

    @property
    def department_id(self) -> int | None:
        return self.department.id if self.department else None

    def url(self, endpoint: str = "leaderboards.index", **changes: Any) -> str:
        args: dict[str, Any] = {"period": self.period, "department": self.department_id}
        args.update(changes)
        query = urlencode({k: v for k, v in args.items() if v})
        return f"{link(endpoint)}?{query}" if query else link(endpoint)  # (no path values)


def _choice() -> BoardChoice:
    """The board named by ?period=…&department=…; anything else is a 404, never a guess."""
    period = request.args.get("period") or DEFAULT_PERIOD
    if period not in keys.PERIODS:
        abort(404)
    raw = (request.args.get("department") or "").strip()
    department = None
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            abort(404)
        department = db.session.get(Department, int(raw))
        if department is None:
            abort(404)
    return BoardChoice(period, department)


def period_title(period: str) -> str:
    """The current `period` in words: "Week 48, 2026", "November 2026", "Q4 2026", "2026"."""
    name = keys.period_name(period)
    return kept(("period-title", current_locale(), name), lambda: _period_title(period, name))


def _period_title(period: str, name: str) -> str:
    if period == "week":
        year, week = name.split("-W")
        return _("Week %(week)d, %(year)s", week=int(week), year=year)
    if period == "month":
        year, month = name.split("-")
        return format_skeleton("yMMMM", date(int(year), int(month), 1), locale=get_locale())
    if period == "quarter":
        year, quarter = name.split("-Q")
        return _("Q%(quarter)s %(year)s", quarter=quarter, year=year)
    if period == "year":
        return name
    return str(PERIOD_LABELS["all"])


def period_labels() -> dict[str, str]:
    """The period tabs' labels in the reader's language."""
    return kept(
        ("period-labels", current_locale()),
        lambda: {period: str(label) for period, label in PERIOD_LABELS.items()},
    )


def _hr_excluded() -> bool:
    return current_user.role == Role.HR and bool(
        current_app.config.get("LEADERBOARD_EXCLUDE_HR", True)
    )


def _board_context(choice: BoardChoice, size: int, with_standing: bool) -> dict[str, Any]:
    rows = boards.top(choice.scope, choice.period, size)
    standing = None
    if rows is not boards.UNAVAILABLE and with_standing and not _hr_excluded():
        standing = boards.rank_and_neighbours(current_user.id, choice.scope, choice.period)
    available = rows is not boards.UNAVAILABLE and standing is not boards.UNAVAILABLE
    shown: list[boards.Ranked] = list(rows) if available else []  # type: ignore[arg-type]
    if available and standing:
        shown += [*standing.above, standing.me, *standing.below]  # type: ignore[union-attr]
    shown_ids = sorted({row.user_id for row in shown})
    return {
        "choice": choice,
        "available": available,
        "rows": rows if available else [],
        "standing": standing if available else None,
        "people": queries.people_by_id(shown_ids),
        # Level and top badge per row: a fixed number of SQL queries for the whole board.
        "levels": badge_queries.levels_for(shown_ids),
        "top_badges": badge_queries.top_badges(shown_ids),
        "period_labels": period_labels(),
        "period_title": period_title(choice.period),
        "scope_name": choice.department.name if choice.department else _("Whole company"),
        "updated_at": utcnow(),
    }


def _block(name: str) -> str | None:
    # A history-restore request wants the whole page even though it comes from htmx.
    return None if request.headers.get("HX-History-Restore-Request") else name


# The top rows are kept as one piece of HTML per board version and language (every viewer gets the
# same), plus, per person in them, their row plain and marked as the viewer's: a page swaps its
# viewer's row in with one string replacement. A row is autoescaped HTML in which "<" only ever
# starts the macro's own tags, so no name or label can forge the comment separating the parts.
_PART = "<!--|-->"


def _render_rows(choice: BoardChoice, version: str, name: str) -> tuple[int, str] | None:
    """Render the board's top rows, keep them under `version` (see above) and return (number of
    rows, their HTML with the viewer's row marked); None when Redis failed meanwhile."""
    top = boards.top(choice.scope, choice.period, PAGE_SIZE)
    if isinstance(top, boards.Unavailable):
        return None
    ids = sorted({row.user_id for row in top})
    people = queries.people_by_id(ids)
    levels, top_badges = badge_queries.levels_for(ids), badge_queries.top_badges(ids)
    board_row = get_template_attribute("leaderboards/_macros.html", "board_row")
    plain = {row.user_id: str(board_row(row, False, people, levels, top_badges)) for row in top}
    html = "".join(plain[row.user_id] for row in top)
    fragments = {name: f"{len(top)}{_PART}{html}"}
    for row in top:
        marked = str(board_row(row, True, people, levels, top_badges))
        fragments[f"{name}:mine:{row.user_id}"] = f"{plain[row.user_id]}{_PART}{marked}"
    boards.store_fragments(choice.scope, choice.period, version, fragments)
    mine = fragments.get(f"{name}:mine:{current_user.id}")
    return len(top), _mark_mine(html, mine)


def _mark_mine(html: str, mine: str | None) -> str:
    """The rows with the viewer's own row (`mine`: plain and marked) swapped for its marked form."""
    if mine is None:
        return html
    plain, marked = mine.split(_PART, 1)
    return html.replace(plain, marked, 1)


def _page_context(choice: BoardChoice) -> dict[str, Any]:
    """The page's board: the top rows, my rank with the people around me and the departments
    for the picker, from one Redis round trip on a warm cache (boards.page_reads). Everyone
    looking at the same board in the same language gets the same rows, so they are rendered once
    per board version; any change to the board, names, departments, levels or badges makes a new
    version, so the next page load shows it."""
    rows_name = f"rows:{PAGE_SIZE}:{get_locale()}"
    user_id = None if _hr_excluded() else current_user.id
    names = [rows_name, "departments", f"{rows_name}:mine:{current_user.id}"]
    found = boards.page_reads(choice.scope, choice.period, names, user_id)
    available = not isinstance(found, boards.Unavailable)
    row_count, rows_html = 0, ""
    departments: list[tuple[int, str]] | None = None
    standing = None
    if isinstance(found, boards.PageReads):
        standing = found.standing
        rows_text, departments_text, mine_text = found.fragments
        if departments_text is not None:
            departments = [(int(d), str(n)) for d, n in json.loads(departments_text)]
        if rows_text is not None:
            count, rows_html = rows_text.split(_PART, 1)
            row_count, rows_html = int(count), _mark_mine(rows_html, mine_text)
        else:
            rendered = _render_rows(choice, found.version, rows_name)
            available = rendered is not None
            row_count, rows_html = rendered or (0, "")
    if departments is None:
        departments = [(d.id, d.name) for d in queries.departments()]
        if isinstance(found, boards.PageReads):
            text = {"departments": json.dumps(departments)}
            boards.store_fragments(choice.scope, choice.period, found.version, text)
    near: list[boards.Ranked] = [*standing.above, *standing.below] if standing else []
    return {
        "choice": choice,
        "available": available,
        "row_count": row_count,
        "rows_html": Markup(rows_html),
        "standing": standing if available else None,
        "departments": departments,
        "people": queries.people_by_id(sorted({row.user_id for row in near})),
        "period_tabs": [
            (choice.url(period=period), label, period == choice.period, f"period-{period}")
            for period, label in period_labels().items()
        ],
        "period_title": period_title(choice.period),
        "scope_name": choice.department.name if choice.department else _("Whole company"),
        "updated_at": utcnow(),
    }


@bp.get("/")
def index() -> Response:
    choice = _choice()
    context = _page_context(choice)
    return render(
        "leaderboards/index.html",
        block=_block("board"),
        hr_excluded=_hr_excluded(),
        in_scope=choice.department_id in (None, current_user.department_id),
        **context,
    )


@bp.get("/screen")
def screen() -> Response:
    choice = _choice()
    context = _board_context(choice, SCREEN_SIZE, with_standing=False)
    return render("leaderboards/screen.html", block=_block("screen"), **context)
