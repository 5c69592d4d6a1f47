"""Every table of the analytics pages as a CSV file: the same rows the page shows (the same
filters, the same scope), for a spreadsheet.

UTF-8 with a byte-order mark, because Excel opens a CSV without one in the system's code page
and Chinese turns to mojibake. A text cell that begins with = + - @ (or a tab or a carriage
return) gets a leading apostrophe: a spreadsheet would run it as a formula (CSV injection), and a
department or job title is typed by people. Counts and amounts stay numbers, so they add up.
"""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction

from flask import Response

from community.analytics.charts import Cell, Table, cell_value

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """A text cell a spreadsheet shows as text and never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Cell) -> str:
    written = cell_value(value)
    if written is None:
        return ""
    if isinstance(written, int):
        return str(written)  # a number, even a negative one, is not a formula
    if isinstance(value, str):
        return neutralised(written)  # what people typed (a name, a title)
    if isinstance(value, Fraction):
        return f"{written}%"  # Excel reads "35.0%" as the number 0.35
    return written  # our own formatting: "8000.00", "2.5", "2026-10-01"


def table_csv(table: Table) -> str:
    """The table as CSV text: the BOM, the header row (in the reader's language), the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralised(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return BOM + buffer.getvalue()


def filename(key: str, period: str) -> str:
    """`analytics-funnel-2026-10-01_2026-12-31.csv`: the table and its period, ASCII only."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"analytics-{key}-{period}").strip("-")
    return f"{safe}.csv"


def csv_response(table: Table, period: str) -> Response:
    """The table as a download; private, never kept by a proxy (it is someone's numbers)."""
    return Response(
        table_csv(table).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename(table.key, period)}"',
            "Cache-Control": "private, no-store",
        },
    )
