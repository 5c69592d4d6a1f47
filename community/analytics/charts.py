"""What the analytics pages show, in one shape for the page, its charts and its CSV files.

A section's numbers become `Table`s (the accessible data table under each chart, and the CSV
download: both come from the same rows, so they never disagree) and `Chart`s (the JSON that
static/js/analytics.js draws with Chart.js). Cells stay typed (int, `Fraction`, `Money`,
`Shown`, text) until the very end: `cell_text` writes them for a reader, `cell_value` for a
chart or a spreadsheet. Never a float on the way: a rate is a `Fraction` until it is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from flask_babel import format_decimal, format_percent, get_locale

from community.core.money import Money

# What a count under the suppression floor is shown as (suppression.shown returns it).
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Days:
    """A duration in whole and part days (a median time in stage), shown "2.5 days"."""

    value: Fraction


Cell = int | str | Fraction | Money | Days | date | None


@dataclass(frozen=True)
class Table:
    """One table of a section: `key` names its CSV (`/analytics/<key>.csv`), `caption` says what
    it shows in the reader's language, `headers` name the columns, each row is one label
    followed by its cells."""

    key: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    # How many rows there are in all when `rows` holds only the first of them (the page's
    # cut; its CSV holds them all). None: `rows` is every row.
    total_rows: int | None = None

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def cut(self) -> bool:
        return self.total_rows is not None and self.total_rows > len(self.rows)


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Cell, ...]
    # Drawn as a line over bars (the previous period beside this one), or dashed.
    kind: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart of one table: `kind` bar or line, a label per point, one or more series. `unit`
    is "percent" when the values are rates (the axis then reads 0–100 %), "days" or "" for
    counts; `stacked` piles the series up (cash paid and due)."""

    key: str
    kind: str
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    stacked: bool = False
    horizontal: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> str:
        """The chart for static/js/analytics.js, as JSON safe inside a <script> element."""
        data = {
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "labels": list(self.labels),
            "unit": self.unit,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "locale": _locale_tag(),
            "series": [
                {"label": s.label, "values": [chart_number(v) for v in s.values], "kind": s.kind}
                for s in self.series
            ],
        }
        # "<", ">" and "&" escaped, so a department named "</script>" cannot end the element.
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _locale_tag() -> str:
    return str(get_locale() or "zh_CN").replace("_", "-")


def rate(numerator: int, denominator: int) -> Fraction | None:
    """A rate, or None when there is nothing to divide by."""
    return Fraction(numerator, denominator) if denominator else None


def cell_value(value: Cell) -> int | str | None:
    """A cell for a chart or a spreadsheet: counts as ints, rates in percent with one decimal
    ("35.0"; the CSV adds the "%"), money as its exact decimal, days with one decimal; a
    suppressed count stays "<5" (a chart draws a gap)."""
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Fraction):
        return _one_decimal(value * 100)
    if isinstance(value, Money):
        return value.plain()
    if isinstance(value, Days):
        return _one_decimal(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def chart_number(value: Cell) -> int | float | None:
    """A cell for a chart's axis: a number (JSON has only floats; this is the last step, for
    drawing), or None for a gap (a suppressed or missing value)."""
    written = cell_value(value)
    if written is None or isinstance(written, int):
        return written
    try:
        return float(Decimal(written))
    except InvalidOperation:
        return None  # "<5", a label: nothing to draw


def _one_decimal(value: Fraction) -> str:
    rounded = round(value * 10)
    return f"{'-' if rounded < 0 else ''}{abs(rounded) // 10}.{abs(rounded) % 10}"


def cell_text(value: Cell) -> str:
    """A cell for a reader, in their language: "1,234", "35.0%", "¥8,000.00", "2.5 days", "–"."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_decimal(value)
    if isinstance(value, Fraction):
        return format_percent(Decimal(value.numerator) / value.denominator, format="#,##0.0%")
    if isinstance(value, Money):
        return value.format(str(get_locale() or "zh_CN"))
    if isinstance(value, Days):
        amount = cell_value(value)
        return ngettext(
            "%(days)s day", "%(days)s days", 1 if amount == 1 else 2, days=format_decimal(amount)
        )
    if isinstance(value, date):
        from flask_babel import format_date

        return format_date(value, "medium")
    return str(value)
