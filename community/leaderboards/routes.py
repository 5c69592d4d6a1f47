"""Leaderboard pages: the board with period tabs and a department picker, my rank and the people
around me, and a full-screen view for an office TV. Thin: parse → read the Redis board (one round
trip) and what it shows from SQL (a fixed number of queries) → render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_skeleton
from flask import Blueprint, Response, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from community.accounts.models import Department, Role
from community.accounts.queries import departments
from community.core.htmx import render
from community.core.localized import localized
from community.core.time import utcnow
from community.extensions import db
from community.leaderboards import periods, queries, reads
from community.leaderboards.kinds import COMPANY, department_scope
from community.leaderboards.visibility import hr_excluded

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
        return department_scope(self.department.id) if self.department else COMPANY

    @property
    def department_id(self) -> int | None:
        return self.department.id if self.department else None

    def url(self, endpoint: str = "leaderboards.index", **changes: Any) -> str:
        args: dict[str, Any] = {"period": self.period, "department": self.department_id}
        args.update(changes)
        query = urlencode({k: v for k, v in args.items() if v})
        return f"{url_for(endpoint)}?{query}" if query else url_for(endpoint)


def _choice() -> BoardChoice:
    """The board named by ?period=…&department=…; anything else is a 404, never a guess."""
    period = request.args.get("period") or DEFAULT_PERIOD
    if period not in periods.PERIODS:
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


def period_title(period: str, name: str | None = None) -> str:
    """The current `period` (or the one `name`d) in words: "Week 48, 2026", "November 2026",
    "Q4 2026", "2026"."""
    name = name or periods.period_name(period)
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


def _ranked_viewer() -> bool:
    """HR staff are off the boards when LEADERBOARD_EXCLUDE_HR (they run the programme)."""
    return not (current_user.role == Role.HR and hr_excluded())


def _scope_name(choice: BoardChoice) -> str:
    return localized(choice.department, "name") if choice.department else _("Whole company")


def _board_context(choice: BoardChoice, size: int, with_standing: bool) -> dict[str, Any]:
    """Everything a board shows: one Redis round trip, then names, departments, levels and top
    badges of the people on it."""
    name = periods.period_name(choice.period)  # once: a request may straddle the period's end
    ranked = with_standing and _ranked_viewer()
    found = reads.page_reads(choice.scope, name, size, current_user.id if ranked else None)
    available = isinstance(found, reads.PageReads)
    rows = found.rows if isinstance(found, reads.PageReads) else []
    standing = found.standing if isinstance(found, reads.PageReads) else None
    near = [*standing.above, *standing.below] if standing else []
    ids = [row.user_id for row in (*rows, *near)]
    people = queries.shown_people(ids)
    extras = queries.extras_for(people, (row.user_id for row in rows))
    return {
        "choice": choice,
        "available": available,
        "rows": rows,
        "standing": standing,
        "me": current_user.id,
        "people": people,
        "levels": extras.levels,
        "top_badges": extras.badges,
        "period_labels": PERIOD_LABELS,
        "period_title": period_title(choice.period, name),
        "scope_name": _scope_name(choice),
        "hr_excluded": not _ranked_viewer(),
        "in_scope": choice.department_id in (None, current_user.department_id),
        "opt_out": bool(current_user.leaderboard_opt_out),
        "updated_at": utcnow(),
    }


def _tabs(choice: BoardChoice) -> dict[str, Any]:
    """The period tabs, the company / my department tabs and the department picker."""
    scope_tabs = [
        (
            choice.url(department=None),
            _("Whole company"),
            choice.department is None,
            "scope-company",
        )
    ]
    mine = current_user.department_id
    if mine:
        scope_tabs.append(
            (
                choice.url(department=mine),
                _("My department"),
                choice.department_id == mine,
                "scope-mine",
            )
        )
    return {
        "period_tabs": [
            (choice.url(period=period), label, period == choice.period, f"period-{period}")
            for period, label in PERIOD_LABELS.items()
        ],
        "scope_tabs": scope_tabs,
        "departments": departments(),
    }


def _block(name: str) -> str | None:
    # A history-restore request wants the whole page even though it comes from htmx.
    return None if request.headers.get("HX-History-Restore-Request") else name


@bp.get("/")
def index() -> Response:
    choice = _choice()
    context = _board_context(choice, PAGE_SIZE, with_standing=True) | _tabs(choice)
    return render("leaderboards/index.html", block=_block("board"), **context)


@bp.get("/screen")
def screen() -> Response:
    choice = _choice()
    context = _board_context(choice, SCREEN_SIZE, with_standing=False)
    return render("leaderboards/screen.html", block=_block("screen"), **context)
