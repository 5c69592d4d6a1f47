"""Whole numbers from the path and the query string, bounded to what the database can hold.

Every id column is an `integer` (int4 on PostgreSQL), so a number past 2**31 - 1 can name no row:
in the path it is a 404 by routing (`BoundedIntConverter`, the app's `int` converter); in the
query string it is a filter the page cannot use, like any other (`int_arg`, `page_arg`). Without
the bound SQLite raises OverflowError past 64 bits and PostgreSQL a DataError past 32.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug import routing

MAX_ID = 2**31 - 1  # PostgreSQL `integer`; a page number this large still makes a bigint OFFSET


class BoundedIntConverter(routing.IntegerConverter):
    """`<int:…>` that matches only numbers an `integer` column holds; larger ones match no route."""

    def __init__(self, map: routing.Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_int(raw: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`raw` as a whole number within [minimum, maximum], else None (missing, not a number, out of range)."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def int_arg(
    name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID
) -> int | None:
    """The query-string argument `name` as a bounded whole number; `default` when it is unusable."""
    number = parse_int(request.args.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def page_arg() -> int:
    """`?page=`, 1 when missing or unusable: pass it to `db.paginate(page=…)`, which would otherwise
    read the unbounded argument itself."""
    return int_arg("page", 1) or 1
