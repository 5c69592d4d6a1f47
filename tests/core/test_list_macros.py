"""The list macros (templates/macros/lists.html): one pager and one table wrapper for every list."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask, render_template_string
from flask_babel import refresh
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from community.accounts.models import Department
from community.extensions import db
from tests.factories import make_department

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class PagerItems(HTMLParser):
    """The pager's items in order: (tag, attributes, text) of each link or span inside an <li>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "span"):
            self._open, self._text = (tag, dict(attrs)), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.items.append((*self._open, self._text.strip()))
            self._open = None

    def links(self) -> list[tuple[dict[str, str | None], str]]:
        return [(attrs, text) for tag, attrs, text in self.items if tag == "a"]


def departments_page(rows: int, page: int, per_page: int = 1) -> Pagination:
    """A real Flask-SQLAlchemy pagination: `rows` departments, `per_page` on each page."""
    for _ in range(rows):
        make_department()
    return db.paginate(
        select(Department).order_by(Department.id), page=page, per_page=per_page, error_out=False
    )


def render_pager(app: Flask, pagination: Pagination, **kwargs: Any) -> str:
    source = (
        '{% from "macros/lists.html" import pager %}{{ pager(pagination, "jobs.index", **kw) }}'
    )
    with app.test_request_context():
        return render_template_string(source, pagination=pagination, kw=kwargs)


def parse(html: str) -> PagerItems:
    parser = PagerItems()
    parser.feed(html)
    return parser


def query(href: str | None) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href or "").query)


def test_a_single_page_renders_no_pager(app: Flask) -> None:
    assert render_pager(app, departments_page(3, page=1, per_page=25)).strip() == ""


def test_on_the_first_page_previous_is_disabled_and_nothing_links_to_hash(app: Flask) -> None:
    html = render_pager(app, departments_page(10, page=1))
    items = parse(html).items
    assert 'aria-label="Pages"' in html
    assert items[0] == ("span", {"class": "page-link"}, "Previous")  # not a link
    assert [text for _, _, text in items] == ["Previous", "1", "2", "3", "…", "10", "Next"]
    assert 'href="#"' not in html
    assert all(attrs["href"].startswith("/jobs/") for attrs, _ in parse(html).links())


def test_on_the_last_page_next_is_disabled(app: Flask) -> None:
    items = parse(render_pager(app, departments_page(10, page=10))).items
    assert items[-1] == ("span", {"class": "page-link"}, "Next")
    assert [text for _, _, text in items] == ["Previous", "1", "…", "8", "9", "10", "Next"]


def test_the_current_page_is_marked_and_its_neighbours_are_linked(app: Flask) -> None:
    html = render_pager(app, departments_page(10, page=5))
    links = parse(html).links()
    current = [text for attrs, text in links if attrs.get("aria-current") == "page"]
    assert current == ["5"]
    assert '<li class="page-item active">' in html
    by_text = {text: query(attrs["href"]) for attrs, text in links}
    assert by_text["Previous"]["page"] == ["4"] and by_text["Next"]["page"] == ["6"]
    assert [text for _, _, text in parse(html).items] == (
        ["Previous", "1", "…", "3", "4", "5", "6", "7", "…", "10", "Next"]
    )


def test_the_filters_are_kept_in_every_link(app: Flask) -> None:
    args = {"q": "data engineer", "department": 3, "page": 7}  # a stale page is replaced
    links = parse(render_pager(app, departments_page(10, page=2), args=args)).links()
    assert links
    for attrs, text in links:
        kept = query(attrs["href"])
        assert kept["q"] == ["data engineer"] and kept["department"] == ["3"], text
    pages = {text: query(attrs["href"]).get("page") for attrs, text in links}
    assert pages["3"] == ["3"] and pages["Next"] == ["3"]
    assert pages["1"] is None and pages["Previous"] is None  # page 1 is the list's own URL


def test_a_target_loads_each_link_with_htmx_and_keeps_the_plain_href(app: Flask) -> None:
    links = parse(render_pager(app, departments_page(10, page=2), target="#job-results")).links()
    assert links
    for attrs, _ in links:
        assert attrs["href"] and attrs["hx-get"] == attrs["href"]
        assert attrs["hx-target"] == "#job-results"
        assert attrs["hx-swap"] == "outerHTML" and attrs["hx-push-url"] == "true"


def test_without_a_target_the_links_are_plain(app: Flask) -> None:
    html = render_pager(app, departments_page(10, page=2))
    assert "hx-" not in html


def test_the_pager_speaks_the_readers_language(app: Flask) -> None:
    source = '{% from "macros/lists.html" import pager %}{{ pager(pagination, "jobs.index") }}'
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        refresh()  # the tests' app context outlives a request: forget the last one's language
        html = render_template_string(source, pagination=departments_page(3, page=2))
    assert "上一页" in html and "下一页" in html and 'aria-label="分页"' in html


def test_the_table_wraps_the_callers_rows_in_a_card(app: Flask) -> None:
    source = (
        '{% from "macros/lists.html" import table %}'
        '{% call table("table-hover table-stack", testid="things") %}<tr><td>x</td></tr>{% endcall %}'
    )
    with app.test_request_context():
        html = " ".join(render_template_string(source).split())
    assert html == (
        '<div class="card shadow-sm list-card"> <div class="table-responsive list-scroll"> '
        '<table class="table align-middle mb-0 list-table table-hover table-stack" '
        'data-testid="things"> <tr><td>x</td></tr> </table> </div> </div>'
    )


def test_a_table_stacks_on_phones_unless_told_not_to(app: Flask) -> None:
    def classes(call: str) -> str:
        source = '{% from "macros/lists.html" import table %}' + call + "<tr></tr>{% endcall %}"
        with app.test_request_context():
            html = render_template_string(source)
        return html.split('<table class="', 1)[1].split('"', 1)[0]

    assert classes("{% call table() %}") == "table align-middle mb-0 list-table table-stack"
    assert classes("{% call table(stack=False) %}") == "table align-middle mb-0 list-table"


def test_no_template_includes_the_old_pager() -> None:
    assert not (TEMPLATES / "referrals" / "_pager.html").exists()
    users = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "referrals/_pager.html" in path.read_text(encoding="utf-8")
    ]
    assert users == []
