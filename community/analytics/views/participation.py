"""The participation section: the share of each department's people who referred in the period,
and the repeat referrers, against the company's share."""

from __future__ import annotations

from flask_babel import gettext as _

from community.analytics.charts import Cell, Chart, Series, Table
from community.analytics.filters import Filters
from community.analytics.queries import participation as q
from community.analytics.scope import Scope
from community.analytics.views.sections import Block, Figure, Section


def build(filters: Filters, scope: Scope) -> Section:
    data = q.participation(filters, scope)
    company = data.company
    rows: list[tuple[Cell, ...]] = [
        (
            department.label,
            department.participation.people,
            department.participation.referrers,
            department.participation.share,
            department.participation.repeat_referrers,
        )
        for department in data.departments
    ]
    rows.append(
        (
            _("The whole company"),
            company.people,
            company.referrers,
            company.share,
            company.repeat_referrers,
        )
    )
    table = Table(
        "participation",
        _("People who referred, by department"),
        (
            _("Department"),
            _("People"),
            _("Referred"),
            _("Share who referred"),
            _("Referred twice or more"),
        ),
        tuple(rows),
        note=_("People are counted in their department as it is today; HR staff are not counted."),
    )
    chart = Chart(
        "participation",
        "bar",
        _("Share of people who referred"),
        tuple(str(row[0]) for row in rows),
        (Series(_("Share who referred"), tuple(row[3] for row in rows)),),
        unit="percent",
        horizontal=len(rows) > 6,
    )
    figures = (
        Figure(_("Company share who referred"), company.share),
        Figure(_("Repeat referrers"), company.repeat_referrers),
        Figure(_("Share of referrers who came back"), company.repeat_share),
    )
    return Section(
        "participation",
        _("Participation"),
        _("Who referred at least once in this period, department by department."),
        figures,
        (Block(table, chart),),
    )
