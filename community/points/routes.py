"""Leaderboard pages: the board with period tabs and a department picker, my rank and the people
around me, and a full-screen view for an office TV. Thin: parse → read the Redis boards → render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_skeleton
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from community.accounts.models import Department, Role
from community.badges import queries as badge_queries
from community.core.htmx import render
from community.core.i18n import current_locale
from community.core.templating import kept, link, recent, render_piece
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


def period_title(period: str, name: str | None = None) -> str:
    """The current `period` (or the one `name`d) in words: "Week 48, 2026", "November 2026",
    "Q4 2026", "2026"."""
    name = name or keys.period_name(period)
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
        "scope_name": _scope_name(choice),
        "updated_at": utcnow(),
    }


def _block(name: str) -> str | None:
    # A history-restore request wants the whole page even though it comes from htmx.
    return None if request.headers.get("HX-History-Restore-Request") else name


# The board part of the page (leaderboards/_board.html: tabs, department picker, title and the top
# rows) is the same for everyone who reads the same board in the same language, so it is rendered
# once per board version and language and kept in Redis beside the board; so is, per person in
# the rows, their row plain and marked as the viewer's. A page then reads the board part, its
# viewer's row and standing in one round trip (boards.page_reads), swaps the viewer's row in and
# fills two slots: the scope tabs (whose "My department" is the viewer's) and the my-rank card,
# itself kept per viewer and board version (it shows their standing and the names around them,
# which only a new version changes).
# The board part is autoescaped HTML in which "<" only ever starts the templates' own tags, so no
# name or label can forge a slot or the comment separating a row's two forms.
_PART = "<!--|-->"
_SCOPE_SLOT = Markup("<scope-tabs>")
_CARD_SLOT = Markup("<my-rank>")


def _board(choice: BoardChoice) -> Markup:
    """The board part of the page for this viewer (see above)."""
    name = f"board:{PAGE_SIZE}:{current_locale()}{request.script_root}"  # (links in it)
    mine_name, card_name = f"{name}:mine:{current_user.id}", f"{name}:card:{current_user.id}"
    period = keys.period_name(choice.period)  # once: a request may straddle the period's end
    ranked = not _hr_excluded()
    found = boards.page_reads(
        choice.scope, period, [name, mine_name, card_name], current_user.id if ranked else None
    )
    if not isinstance(found, boards.PageReads):  # Redis is unreachable: the board says so
        return _unavailable_board(choice)
    html, mine, card = found.fragments
    if html is None:
        kept_html = _keep_board(choice, period, found.version, name)
        if kept_html is None:  # Redis went away meanwhile
            return _unavailable_board(choice)
        html, mine = kept_html
    if card is None:
        card = _my_rank(choice, found.standing, hr_excluded=not ranked)  # (None if not ranked)
        boards.store_fragments(choice.scope, period, found.version, {card_name: card})
    html = _mark_mine(html, mine).replace(_SCOPE_SLOT, _scope_tabs(choice), 1)
    return Markup(html.replace(_CARD_SLOT, card, 1))


def _unavailable_board(choice: BoardChoice) -> Markup:
    """The board part while Redis is unreachable: tabs and picker work, the board says it is away."""
    return Markup(_render_board(choice, available=False, scope_tabs=Markup(_scope_tabs(choice))))


def _render_board(choice: BoardChoice, period_name: str | None = None, **context: Any) -> str:
    return render_template(
        "leaderboards/_board.html",
        choice=choice,
        period_tabs=[
            (choice.url(period=period), label, period == choice.period, f"period-{period}")
            for period, label in period_labels().items()
        ],
        departments=[(d.id, d.name) for d in queries.departments()],
        scope_name=_scope_name(choice),
        period_title=period_title(choice.period, period_name),
        **context,
    )


def _keep_board(
    choice: BoardChoice, period: str, version: str, name: str
) -> tuple[str, str | None] | None:
    """Render the board part with its top rows, keep it under `version` of the board of `period`
    (its name) with each row's plain and marked forms, and return (the board part, the viewer's
    row forms or None); None when Redis failed meanwhile."""
    top = boards.top(choice.scope, period, PAGE_SIZE)
    if isinstance(top, boards.Unavailable):
        return None
    ids = sorted({row.user_id for row in top})
    people = queries.people_by_id(ids)
    levels, top_badges = badge_queries.levels_for(ids), badge_queries.top_badges(ids)
    board_row = get_template_attribute("leaderboards/_macros.html", "board_row")
    plain = {row.user_id: str(board_row(row, False, people, levels, top_badges)) for row in top}
    html = _render_board(
        choice,
        period_name=period,
        available=True,
        row_count=len(top),
        rows=Markup("".join(plain[row.user_id] for row in top)),
        scope_tabs=_SCOPE_SLOT,
        card=_CARD_SLOT,
    )
    fragments = {name: html}
    for row in top:
        marked = str(board_row(row, True, people, levels, top_badges))
        fragments[f"{name}:mine:{row.user_id}"] = f"{plain[row.user_id]}{_PART}{marked}"
    boards.store_fragments(choice.scope, period, version, fragments)
    return html, fragments.get(f"{name}:mine:{current_user.id}")


def _mark_mine(html: str, mine: str | None) -> str:
    """The board with the viewer's own row (`mine`: plain and marked) swapped for its marked form."""
    if mine is None:
        return html
    plain, marked = mine.split(_PART, 1)
    return html.replace(plain, marked, 1)


def _scope_tabs(choice: BoardChoice) -> str:
    """The whole company and, for someone in a department, theirs: kept per language, board and
    department (links and labels only)."""
    mine = current_user.department_id

    def build() -> str:
        tabs = [
            (
                choice.url(department=None),
                _("Whole company"),
                choice.department is None,
                "scope-company",
            )
        ]
        if mine:
            tabs.append(
                (
                    choice.url(department=mine),
                    _("My department"),
                    choice.department_id == mine,
                    "scope-mine",
                )
            )
        return str(get_template_attribute("leaderboards/_macros.html", "board_links")(tabs))

    key = (
        "scope-tabs",
        current_locale(),
        choice.period,
        choice.department_id,
        mine,
        request.script_root,
    )
    return recent(key, build)


def _my_rank(choice: BoardChoice, standing: boards.Standing | None, hr_excluded: bool) -> str:
    """The viewer's rank card: their rank, points and the people just above and below."""
    near = [*standing.above, *standing.below] if standing else []
    return render_piece(
        "leaderboards/_my_rank.html",
        hr_excluded=hr_excluded,
        standing=standing,
        names=queries.shown_names(sorted({row.user_id for row in near})),
        in_scope=choice.department_id in (None, current_user.department_id),
        scope_name=_scope_name(choice),
        opt_out=current_user.leaderboard_opt_out,
    )


def _scope_name(choice: BoardChoice) -> str:
    return choice.department.name if choice.department else _("Whole company")


@bp.get("/")
def index() -> Response:
    return render("leaderboards/index.html", block=_block("board"), board=_board(_choice()))


@bp.get("/screen")
def screen() -> Response:
    choice = _choice()
    context = _board_context(choice, SCREEN_SIZE, with_standing=False)
    return render("leaderboards/screen.html", block=_block("screen"), **context)
