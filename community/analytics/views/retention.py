"""The retention section: of the referred hires of each month, how many were still with the
company 90, 180 and 365 days after they started."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from community.analytics.charts import Cell, Chart, Series, Table
from community.analytics.filters import Filters
from community.analytics.queries import retention as q
from community.analytics.scope import Scope
from community.analytics.views.sections import Block, Section
from community.core.templating import month_name


def build(filters: Filters, scope: Scope) -> Section:
    retention = q.retention(filters, scope)
    not_yet = _("not yet")
    rows: list[tuple[Cell, ...]] = []
    for cohort in retention.cohorts:
        kept = [cohort.at(days) for days in q.HORIZONS]
        rows.append(
            (
                month_name(cohort.month),
                cohort.hires,
                cohort.left,
                *(k.rate if k.retained is not None else not_yet for k in kept),
            )
        )
    table = Table(
        "retention",
        _("Referred hires still with the company, by month of hire"),
        (
            _("Month of hire"),
            _("Hires"),
            _("Left since"),
            *(ngettext("After %(num)s day", "After %(num)s days", days) for days in q.HORIZONS),
        ),
        tuple(rows),
        note=_('"not yet": some hires of that month have not been with us that long.'),
    )
    chart = Chart(
        "retention",
        "line",
        table.caption,
        tuple(str(row[0]) for row in rows),
        tuple(
            Series(
                ngettext("After %(num)s day", "After %(num)s days", days),
                tuple(row[3 + index] for row in rows),
            )
            for index, days in enumerate(q.HORIZONS)
        ),
        unit="percent",
    )
    return Section(
        "retention",
        _("Retention of referred hires"),
        _(
            "The hires made in this period, by month: who was still here 90, 180 and 365 days after starting."
        ),
        (),
        (Block(table, chart if rows else None),),
    )
