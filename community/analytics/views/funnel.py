"""The funnel section: how far this period's referrals got, step by step, beside the previous
period; then the same by department, job family, source and job. For an employee, the funnel of
their own referrals."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.analytics.charts import Cell, Chart, Series, Table
from community.analytics.filters import Filters
from community.analytics.queries import funnel as q
from community.analytics.scope import Reach, Scope
from community.analytics.suppression import shown_rate
from community.analytics.views.sections import Block, Figure, Section
from community.jobs.labels import job_family_label
from community.referrals.labels import SOURCE_LABELS
from community.referrals.models import ReferralSource

STEP_LABELS: dict[str, LazyString] = {
    "submitted": _l("Submitted"),
    "screened": _l("Passed screening"),
    "interviewed": _l("Interviewed"),
    "offer": _l("Offer made"),
    "accepted": _l("Offer accepted"),
    "started": _l("Started"),
    "probation_passed": _l("Passed probation"),
}


def _comparison_block(comparison: q.FunnelComparison) -> Block:
    current, before = comparison.current, comparison.previous
    rows = tuple(
        (
            str(STEP_LABELS[step.key]),
            step.count,
            step.conversion,
            before.step(step.key).count,
            before.step(step.key).conversion,
        )
        for step in current.steps
    )
    table = Table(
        "funnel",
        _("Referrals at each step, this period and the one before"),
        (
            _("Step"),
            _("This period"),
            _("Conversion from the step before"),
            _("Previous period"),
            _("Conversion, previous period"),
        ),
        rows,
    )
    chart = Chart(
        "funnel",
        "bar",
        table.caption,
        tuple(str(row[0]) for row in rows),
        (
            Series(_("This period"), tuple(row[1] for row in rows)),
            Series(_("Previous period"), tuple(row[3] for row in rows)),
        ),
    )
    return Block(table, chart)


def _group_rows(
    groups: tuple[q.FunnelRow, ...], label_of: Callable[[str | int], str] | None = None
) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for group in groups:
        f = group.funnel
        submitted = f.count("submitted")
        label = label_of(group.key) if label_of else group.label
        rows.append(
            (
                label,
                submitted,
                f.count("interviewed"),
                f.count("accepted"),
                # A rate of a handful of referrals measures nothing: not shown under the floor.
                shown_rate(f.count("interviewed"), submitted),
                shown_rate(f.count("accepted"), submitted),
            )
        )
    return tuple(rows)


def _group_block(key: str, caption: str, heading: str, rows: tuple[tuple[Cell, ...], ...]) -> Block:
    table = Table(
        key,
        caption,
        (
            heading,
            _("Submitted"),
            _("Interviewed"),
            _("Hired"),
            _("Reached interview"),
            _("Hired (share)"),
        ),
        rows,
        note=_("A share of fewer than 5 referrals is not shown."),
    )
    if not rows:
        return Block(table)
    chart = Chart(
        key,
        "bar",
        caption,
        tuple(str(row[0]) for row in rows),
        (
            Series(_("Submitted"), tuple(row[1] for row in rows)),
            Series(_("Interviewed"), tuple(row[2] for row in rows)),
            Series(_("Hired"), tuple(row[3] for row in rows)),
        ),
        horizontal=len(rows) > 6,
    )
    return Block(table, chart)


def _family(key: str | int) -> str:
    return job_family_label(str(key))


def _source(key: str | int) -> str:
    return str(SOURCE_LABELS[ReferralSource(str(key))])


def build(filters: Filters, scope: Scope) -> Section:
    comparison = q.compare(filters, scope)
    current = comparison.current
    submitted = current.count("submitted")
    figures = (
        Figure(
            _("Referrals submitted"),
            submitted,
            _(
                "%(change)s against the previous period",
                change=_signed(comparison.change("submitted")),
            ),
        ),
        Figure(_("Reached an interview"), current.step("interviewed").overall),
        Figure(_("Hires"), current.count("accepted")),
        Figure(_("Passed probation"), current.count("probation_passed")),
    )
    blocks = [_comparison_block(comparison)]
    if scope.reach == Reach.COMPANY:
        blocks.append(
            _group_block(
                "funnel-departments",
                _("The funnel by department"),
                _("Department"),
                _group_rows(q.funnel_by(filters, scope, "department")),
            )
        )
    blocks.append(
        _group_block(
            "funnel-families",
            _("The funnel by job family"),
            _("Job family"),
            _group_rows(q.funnel_by(filters, scope, "family"), _family),
        )
    )
    blocks.append(
        _group_block(
            "funnel-sources",
            _("The funnel by source"),
            _("Source"),
            _group_rows(q.funnel_by(filters, scope, "source"), _source),
        )
    )
    blocks.append(
        _group_block(
            "funnel-jobs",
            _("The funnel by job"),
            _("Job"),
            _group_rows(q.funnel_by(filters, scope, "job")),
        )
    )
    own = scope.reach == Reach.OWN
    return Section(
        "funnel",
        _("Your referrals, step by step") if own else _("Funnel"),
        _(
            "How far the referrals submitted in this period got. A referral still on its way counts where it stands today."
        ),
        figures,
        tuple(blocks),
    )


def _signed(change: int) -> str:
    from flask_babel import format_decimal

    return ("+" if change > 0 else "") + format_decimal(change)
