"""Charts: Chart.js comes from npm into static/vendor, a page opts in to load it, and the `chart`
macro (templates/macros/charts.html) writes the data table every chart is drawn from."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from flask import Flask, render_template_string
from flask_babel import refresh

ROOT = Path(__file__).resolve().parents[2]
CHART_JS = ROOT / "static" / "vendor" / "chartjs" / "chart.umd.min.js"


class ChartFigure(HTMLParser):
    """What a reader of the figure meets: caption, canvas, summary, and the table's cells (a row
    is a list of (tag, data-value, text))."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figure: dict[str, str | None] = {}
        self.canvas: dict[str, str | None] = {}
        self.texts: dict[str, str] = {}
        self.head: list[str] = []
        self.rows: list[list[tuple[str, str | None, str]]] = []
        self._section = ""
        self._cell: tuple[str, str | None] | None = None
        self._text = ""
        self._open_text: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure":
            self.figure = dict(attrs)
        elif tag == "canvas":
            self.canvas = dict(attrs)
        elif tag in ("figcaption", "summary", "caption"):
            self._open_text, self._text = tag, ""
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell, self._text = (tag, dict(attrs).get("data-value")), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open_text:
            self.texts[tag] = self._text.strip()
            self._open_text = None
        elif self._cell and tag == self._cell[0]:
            if self._section == "thead":
                self.head.append(self._text.strip())
            else:
                self.rows[-1].append((*self._cell, self._text.strip()))
            self._cell = None


def render(app: Flask, source: str, language: str = "en", **context: object) -> str:
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the tests' app context outlives a request: forget the last one's language
        return render_template_string(source, **context)


def render_chart(app: Flask, language: str = "en", **kwargs: object) -> ChartFigure:
    source = '{% from "macros/charts.html" import chart %}{{ chart(kind, caption, labels, series, **kw) }}'
    kw = {key: kwargs.pop(key) for key in ("row_heading", "testid") if key in kwargs}
    html = render(app, source, language, kw=kw, **kwargs)
    figure = ChartFigure()
    figure.feed(html)
    return figure


def test_the_table_holds_every_number_under_its_series_and_label(app: Flask) -> None:
    figure = render_chart(
        app,
        kind="line",
        caption="Referrals per day",
        labels=["1 Mar", "2 Mar", "3 Mar"],
        series=[("This challenge", [3, 1234, None]), ("The 3 days before", [0, 2, 2.5])],
        row_heading="Day",
        testid="referrals-chart",
    )
    assert figure.figure["data-chart"] == "line"
    assert figure.figure["data-testid"] == "referrals-chart"
    assert figure.texts["figcaption"] == "Referrals per day"
    assert figure.texts["caption"] == "Referrals per day"  # the table says what it is, too
    assert figure.head == ["Day", "This challenge", "The 3 days before"]
    assert figure.rows == [
        [("th", None, "1 Mar"), ("td", "3", "3"), ("td", "0", "0")],
        # the chart reads data-value; the cell shows the number in the reader's language
        [("th", None, "2 Mar"), ("td", "1234", "1,234"), ("td", "2", "2")],
        [("th", None, "3 Mar"), ("td", "", ""), ("td", "2.5", "2.5")],  # None: a gap
    ]


def test_the_canvas_is_named_and_the_words_are_in_the_readers_language(app: Flask) -> None:
    english = render_chart(
        app, kind="bar", caption="Hires", labels=["May"], series=[("Hires", [4])]
    )
    assert english.canvas["role"] == "img"
    assert english.canvas["aria-label"] == "Chart: Hires. Its numbers are in the table below it."
    assert english.texts["summary"] == "Show the data as a table"
    assert english.head == ["", "Hires"]  # no heading asked for: an empty corner cell (a td)

    chinese = render_chart(
        app, "zh-CN", kind="bar", caption="入职", labels=["五月"], series=[("入职", [4])]
    )
    assert chinese.canvas["aria-label"] == "图表：入职。具体数字见下方表格。"
    assert chinese.texts["summary"] == "以表格显示数据"


def test_only_a_page_that_asks_for_charts_loads_chart_js(app: Flask) -> None:
    page = '{% extends "base.html" %}{% block content %}{% endblock %}'
    with_charts = (
        '{% extends "base.html" %}{% set uses_charts = true %}{% block content %}{% endblock %}'
    )
    assert "chart.umd.min.js" not in render(app, page)
    assert "charts.js" not in render(app, page)
    html = render(app, with_charts)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    # Chart.js before our helper, both deferred like the others (they run in order)
    assert scripts[-2:] == ["/static/vendor/chartjs/chart.umd.min.js", "/static/js/charts.js"]
    assert html.count(" defer></script>") == len(scripts)


def test_the_build_puts_chart_js_4_from_npm_in_static_vendor(client) -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/chart.js"]["version"]
    assert version.startswith("4.")
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["chart.js"]
    # scripts/build-static (make setup) copied the npm package's UMD build: the one for <script>
    assert CHART_JS.read_text(encoding="utf-8")[:200].find(f"Chart.js v{version}") > 0
    assert client.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200
    assert client.get("/static/js/charts.js").status_code == 200
    assert "static/vendor/" in (ROOT / ".gitignore").read_text().split()  # never committed
