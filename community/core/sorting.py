"""Sorting a list by a column the reader picks: `?sort=<key>&dir=asc|desc`, from a whitelist.

Each list declares its `Sorting` once (its keys, the SQL each orders by, the default) and reads
`sorting.parse(request.args)`. A key that is not in the whitelist gives the default order, never
an error; an unknown direction gives the key's own default direction. Every order ends with the
list's id, so rows that tie keep one stable order from page to page. Templates draw the headers
with `sort_header` and the sentence saying how the list is sorted with `sort_note`
(templates/macros/lists.html); the pager keeps `Sort.as_args()` with the filters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select

Direction = Literal["asc", "desc"]

# How each kind of column reads in a sentence, for (ascending, descending).
PHRASES: dict[str, tuple[Any, Any]] = {
    "text": (_l("A to Z"), _l("Z to A")),
    "number": (_l("lowest first"), _l("highest first")),
    "date": (_l("earliest first"), _l("latest first")),
}


@dataclass(frozen=True)
class SortKey:
    """One column a list can be sorted by. `columns` are SQL expressions ordered in turn in the
    chosen direction, `then` fixed clauses after them; `kind` ("text", "number", "date") words
    the direction unless `phrases` does."""

    label: Any  # a lazy string: the column's name, as in its header
    columns: Sequence[ColumnElement[Any]]
    kind: str = "text"
    default_dir: Direction = "asc"
    phrases: tuple[Any, Any] | None = None  # (ascending, descending) in words
    then: Sequence[Any] = ()  # ORDER BY clauses after `columns`, whichever the direction

    def phrase(self, direction: Direction) -> Any:
        ascending, descending = self.phrases or PHRASES[self.kind]
        return ascending if direction == "asc" else descending


@dataclass(frozen=True)
class Sort:
    """The order a page is shown in (from `Sorting.parse`)."""

    sorting: Sorting
    key: str
    dir: Direction

    @property
    def is_default(self) -> bool:
        return self.key == self.sorting.default and self.dir == self.sorting.default_dir

    @property
    def column(self) -> SortKey:
        return self.sorting.keys[self.key]

    def as_args(self) -> dict[str, str]:
        """Query-string arguments for links that keep this order (none for the default)."""
        return {} if self.is_default else {"sort": self.key, "dir": self.dir}

    def toggled(self, key: str) -> dict[str, str]:
        """The arguments a click on `key`'s header asks for: the other direction when the list is
        sorted by `key` already, else `key` in its own default direction."""
        if key == self.key:
            direction: Direction = "desc" if self.dir == "asc" else "asc"
        else:
            direction = self.sorting.keys[key].default_dir
        return Sort(self.sorting, key, direction).as_args()

    def header_args(self, args: Mapping[str, Any], key: str) -> dict[str, Any]:
        """The list's filters `args` with the order a click on `key`'s header asks for, back on
        page 1 (url_for drops the None values)."""
        return {**args, "sort": None, "dir": None, "page": None, **self.toggled(key)}

    def with_args(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """The filters `args` plus this order: what pager links and actions carry."""
        return {**args, **self.as_args()}

    def aria(self, key: str) -> str:
        """`aria-sort` for the header of `key`."""
        if key != self.key:
            return "none"
        return "ascending" if self.dir == "asc" else "descending"

    @property
    def phrase(self) -> Any:
        return self.column.phrase(self.dir)

    def apply(self, query: Select[Any]) -> Select[Any]:
        """`query` ordered by this sort, then by the list's id in the same direction."""
        order = []
        for column in self.column.columns:
            ordered = column.asc() if self.dir == "asc" else column.desc()
            order.append(ordered.nulls_last())  # one place for blanks on every engine
        order.extend(self.column.then)
        tie = self.sorting.tiebreak
        order.append(tie.asc() if self.dir == "asc" else tie.desc())
        return query.order_by(None).order_by(*order)


@dataclass(frozen=True)
class Sorting:
    """A list's whitelist of sort keys and its default order."""

    keys: Mapping[str, SortKey]
    default: str
    tiebreak: ColumnElement[Any]  # the list's id: equal rows keep one order across pages
    default_dir: Direction = field(default="asc")

    def __post_init__(self) -> None:
        if self.default not in self.keys:
            raise ValueError(f"default sort key {self.default!r} is not in the whitelist")

    def parse(self, args: Mapping[str, str], default: tuple[str, Direction] | None = None) -> Sort:
        """The order `args` asks for; the default (or `default`, for this page) when it names
        no known key. `default` lets one list state a different default per filter."""
        sorting = self
        if default is not None and default != (self.default, self.default_dir):
            sorting = Sorting(self.keys, default[0], self.tiebreak, default[1])
        key = (args.get("sort") or "").strip()
        if key not in sorting.keys:
            return Sort(sorting, sorting.default, sorting.default_dir)
        direction = (args.get("dir") or "").strip()
        if direction not in ("asc", "desc"):
            direction = sorting.keys[key].default_dir
        return Sort(sorting, key, direction)  # type: ignore[arg-type]
