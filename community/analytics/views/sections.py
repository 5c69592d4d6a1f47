"""The dashboard's sections: their shape, and which ones a reader gets.

HR reads every section about the company; a manager the same about their department, without
quality by referrer (a colleague's record is HR's alone); anyone else their own numbers: their
funnel, how long they waited to hear back, their rewards. Each section is built by its module
from the analytics queries; a table's CSV is the same table (`table`), so the download and the
page never disagree, and both are cut to the same scope.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from community.analytics.charts import Cell, Chart, Table
from community.analytics.filters import Filters
from community.analytics.scope import Reach, Scope


@dataclass(frozen=True)
class Figure:
    """A key figure above a section's charts: "Time to hire 21 days"."""

    label: str
    value: Cell
    note: str = ""


@dataclass(frozen=True)
class Block:
    """A table and, when it draws well, its chart."""

    table: Table
    chart: Chart | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    figures: tuple[Figure, ...] = ()
    blocks: tuple[Block, ...] = ()

    def tables(self) -> tuple[Table, ...]:
        return tuple(block.table for block in self.blocks)


Builder = Callable[[Filters, Scope], Section]


# Every section, in page order; the keys of a section's tables start with its key ("rewards-cash").
SECTION_KEYS = ("funnel", "timing", "retention", "participation", "rewards", "quality")


def builders(scope: Scope, *, whole: bool = False) -> dict[str, Builder]:
    """The sections for the reader's scope, by key, in page order; `whole`: every row of every
    table (for a CSV), not the page's first ones."""
    from community.analytics.views import (
        funnel,
        participation,
        quality,
        retention,
        rewards,
        timing,
    )

    if scope.reach == Reach.OWN:
        return {"funnel": funnel.build, "timing": timing.build_own, "rewards": rewards.build_own}
    pages: dict[str, Builder] = {
        "funnel": funnel.build,
        "timing": timing.build,
        "retention": retention.build,
        "participation": participation.build,
        "rewards": rewards.build,
    }
    if scope.sees_people:
        pages["quality"] = functools.partial(quality.build, whole=whole)
    return pages


def build_all(filters: Filters, scope: Scope) -> list[Section]:
    return [build(filters, scope) for build in builders(scope).values()]


def section_of(key: str) -> str | None:
    """The section a table's key names, if there is such a section."""
    section = key.split("-", 1)[0]
    return section if section in SECTION_KEYS else None


def table(key: str, filters: Filters, scope: Scope) -> Table | None:
    """The table named `key` among the reader's sections, or None."""
    build = builders(scope, whole=True).get(section_of(key) or "")
    if build is None:
        return None
    return next((found for found in build(filters, scope).tables() if found.key == key), None)
