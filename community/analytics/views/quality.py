"""The quality section (HR only): per referrer and per job, how many referrals reached an
interview and were hired. Counts under five read "<5" and their rates are not shown."""

from __future__ import annotations

from flask_babel import gettext as _

from community.analytics.charts import Table
from community.analytics.filters import Filters
from community.analytics.queries import quality as q
from community.analytics.scope import Scope
from community.analytics.views.sections import Block, Section

PAGE_ROWS = 50  # those with the most referrals; the CSV has every row


def _table(key: str, caption: str, heading: str, data: q.Quality) -> Table:
    return Table(
        key,
        caption,
        (
            heading,
            _("Referrals"),
            _("Interviewed"),
            _("Hired"),
            _("Reached interview"),
            _("Hired (share)"),
        ),
        tuple(
            (
                row.label,
                row.referrals,
                row.interviewed,
                row.hired,
                row.interview_rate,
                row.hire_rate,
            )
            for row in data.rows
        ),
        note=_(
            'Fewer than 5 is shown as "<5", and a share of fewer than 5 referrals is not shown.'
        ),
        total_rows=data.total,
    )


def build(filters: Filters, scope: Scope, *, whole: bool = False) -> Section:
    """The section; on the page the first PAGE_ROWS rows of each table, `whole` for a CSV."""
    limit = None if whole else PAGE_ROWS
    return Section(
        "quality",
        _("Quality by referrer and by job"),
        _(
            "For HR only: who and which jobs bring referrals that go far. Small numbers are hidden so nobody is judged on a handful."
        ),
        (),
        (
            Block(
                _table(
                    "quality-referrers",
                    _("By referrer"),
                    _("Referrer"),
                    q.by_referrer(filters, scope, limit),
                )
            ),
            Block(_table("quality-jobs", _("By job"), _("Job"), q.by_job(filters, scope, limit))),
        ),
    )
