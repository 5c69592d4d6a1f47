"""The time section: median and 90th percentile time in each stage, time to hire, and the
first-review SLA. For an employee: how long their own referrals waited to hear back."""

from __future__ import annotations

from fractions import Fraction

from flask_babel import gettext as _

from community.analytics.charts import Chart, Days, Series, Table
from community.analytics.filters import Filters
from community.analytics.queries import timing as q
from community.analytics.scope import Scope
from community.analytics.views.sections import Block, Figure, Section
from community.pipeline.labels import stage_label

DAY = 86_400


def days(seconds: int | None) -> Days | None:
    return None if seconds is None else Days(Fraction(seconds, DAY))


def _stages_block(timing: q.Timing) -> Block:
    rows = tuple(
        (
            stage_label(item.stage),
            item.spread.count,
            days(item.spread.median_seconds),
            days(item.spread.p90_seconds),
        )
        for item in timing.stages
    ) + (
        (
            _("Time to hire"),
            timing.time_to_hire.count,
            days(timing.time_to_hire.median_seconds),
            days(timing.time_to_hire.p90_seconds),
        ),
    )
    table = Table(
        "timing",
        _("Days in each stage"),
        (_("Stage"), _("Referrals measured"), _("Median (days)"), _("90th percentile (days)")),
        rows,
        note=_("A stage counts once a referral has left it."),
    )
    chart = Chart(
        "timing",
        "bar",
        table.caption,
        tuple(str(row[0]) for row in rows),
        (
            Series(_("Median"), tuple(row[2] for row in rows)),
            Series(_("90th percentile"), tuple(row[3] for row in rows)),
        ),
        unit="days",
    )
    return Block(table, chart)


def _sla_block(sla: q.Sla) -> Block:
    table = Table(
        "timing-sla",
        _("First review against the SLA"),
        (_("First review"), _("Referrals")),
        (
            (_("Reviewed in time"), sla.reviewed_in_time),
            (_("Reviewed late"), sla.reviewed_late),
            (_("Waiting, still in time"), sla.waiting_in_time),
            (_("Waiting, overdue"), sla.waiting_overdue),
        ),
    )
    chart = Chart(
        "timing-sla",
        "bar",
        table.caption,
        tuple(str(row[0]) for row in table.rows),
        (Series(_("Referrals"), tuple(row[1] for row in table.rows)),),
        horizontal=True,
    )
    return Block(table, chart)


def _figures(timing: q.Timing, sla: q.Sla) -> tuple[Figure, ...]:
    return (
        Figure(_("Time to hire (median)"), days(timing.time_to_hire.median_seconds)),
        Figure(_("Time to hire (90th percentile)"), days(timing.time_to_hire.p90_seconds)),
        Figure(_("SLA breaches"), sla.breaches),
        Figure(_("Share of first reviews late"), sla.breach_rate),
    )


def build(filters: Filters, scope: Scope) -> Section:
    timing, sla = q.timing(filters, scope), q.sla(filters, scope)
    return Section(
        "timing",
        _("Time in stage"),
        _(
            "How long the referrals submitted in this period spent in each stage, and whether their first review came within the SLA."
        ),
        _figures(timing, sla),
        (_stages_block(timing), _sla_block(sla)),
    )


def build_own(filters: Filters, scope: Scope) -> Section:
    timing, sla = q.timing(filters, scope), q.sla(filters, scope)
    first = timing.stages[0].spread  # time in "submitted": until the first answer
    figures = (
        Figure(_("Until the first answer (median)"), days(first.median_seconds)),
        Figure(_("Answered late"), sla.reviewed_late),
        Figure(_("Still waiting"), sla.waiting_in_time + sla.waiting_overdue),
    )
    return Section(
        "timing",
        _("How long you waited to hear back"),
        _("From submitting a referral to HR's first answer, and the time in each stage after."),
        figures,
        (_stages_block(timing), _sla_block(sla)),
    )
