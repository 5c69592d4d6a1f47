"""The rewards section: cash paid and due by month, points issued and spent, perks redeemed, cost
per hire, and how challenges moved referrals. For an employee: what their referrals earned them."""

from __future__ import annotations

from flask_babel import gettext as _

from community.analytics.charts import Cell, Chart, Series, Table
from community.analytics.filters import Filters
from community.analytics.queries import rewards as q
from community.analytics.scope import Scope
from community.analytics.views.sections import Block, Figure, Section
from community.core.money import Money
from community.core.templating import local_date, month_name

# Bonuses are in the jobs' currency, yuan unless HR chose another (jobs.models.Job).
DEFAULT_CURRENCY = "CNY"


def _money(amounts: tuple[q.Amount, ...]) -> Cell:
    """One amount as money; several currencies as one line ("¥8,000.00 · $500.00"); none: ¥0."""
    from community.analytics.charts import cell_text

    if not amounts:
        return Money(0, DEFAULT_CURRENCY)
    if len(amounts) == 1:
        return Money(amounts[0].minor, amounts[0].currency)
    return " · ".join(cell_text(Money(a.minor, a.currency)) for a in amounts)


def _currencies(data: q.Rewards) -> list[str]:
    found = {a.currency for m in data.months for a in (*m.paid, *m.due)}
    return sorted(found) or [DEFAULT_CURRENCY]


def _in(amounts: tuple[q.Amount, ...], currency: str) -> Money:
    return Money(sum(a.minor for a in amounts if a.currency == currency), currency)


def _cash_block(data: q.Rewards) -> Block:
    currencies = _currencies(data)
    headers: list[str] = [_("Month")]
    for currency in currencies:
        headers += [
            _("Paid (%(currency)s)", currency=currency),
            _("Due (%(currency)s)", currency=currency),
        ]
    rows = tuple(
        (
            month_name(m.month),
            *(v for c in currencies for v in (_in(m.paid, c), _in(m.due, c))),
        )
        for m in data.months
    )
    table = Table("rewards-cash", _("Bonus cash paid and due, by month"), tuple(headers), rows)
    main = currencies[0]
    chart = Chart(
        "rewards-cash",
        "bar",
        _("Bonus cash by month (%(currency)s)", currency=main),
        tuple(str(row[0]) for row in rows),
        (
            Series(_("Paid"), tuple(row[1] for row in rows)),
            Series(_("Due"), tuple(row[2] for row in rows)),
        ),
        stacked=True,
    )
    return Block(table, chart)


def _points_block(data: q.Rewards) -> Block:
    rows = tuple(
        (month_name(m.month), m.points_issued, m.points_spent, m.perks_redeemed)
        for m in data.months
    )
    table = Table(
        "rewards-points",
        _("Points issued and spent, perks redeemed, by month"),
        (_("Month"), _("Points issued"), _("Points spent"), _("Perks redeemed")),
        rows,
    )
    chart = Chart(
        "rewards-points",
        "bar",
        _("Points issued and spent"),
        tuple(str(row[0]) for row in rows),
        (
            Series(_("Points issued"), tuple(row[1] for row in rows)),
            Series(_("Points spent"), tuple(row[2] for row in rows)),
        ),
    )
    return Block(table, chart)


def _challenges_block(impacts: tuple[q.ChallengeImpact, ...]) -> Block:
    rows = tuple(
        (
            impact.title,
            f"{local_date(impact.starts_at, 'short')} – {local_date(impact.ends_at, 'short')}",
            impact.during,
            impact.before,
            impact.lift,
        )
        for impact in impacts
    )
    table = Table(
        "rewards-challenges",
        _("Challenges: referrals during each one against the same length before it"),
        (_("Challenge"), _("Window"), _("During"), _("Before"), _("Change")),
        rows,
    )
    chart = Chart(
        "rewards-challenges",
        "bar",
        _("Referrals during each challenge and before it"),
        tuple(str(row[0]) for row in rows),
        (
            Series(_("Before"), tuple(row[3] for row in rows)),
            Series(_("During"), tuple(row[2] for row in rows)),
        ),
    )
    return Block(table, chart if rows else None)


def _summary(data: q.Rewards, with_cost: bool) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (_("Cash paid"), _money(data.paid)),
        (_("Cash due"), _money(data.due)),
    ]
    if with_cost:
        rows += [(_("Hires"), data.hires), (_("Cost per hire"), _money(data.cost_per_hire))]
    rows += [
        (_("Points issued"), data.points_issued),
        (_("Points spent"), data.points_spent),
        (_("Perks redeemed"), data.perks_redeemed),
    ]
    return Table(
        "rewards-summary", _("Rewards in this period"), (_("What"), _("Total")), tuple(rows)
    )


def build(filters: Filters, scope: Scope) -> Section:
    data = q.rewards(filters, scope)
    figures = (
        Figure(_("Cash paid"), _money(data.paid)),
        Figure(_("Cash due"), _money(data.due)),
        Figure(_("Cost per hire"), _money(data.cost_per_hire) if data.hires else None),
        Figure(_("Points issued"), data.points_issued),
    )
    return Section(
        "rewards",
        _("Rewards"),
        _("Bonuses paid and owed, points and perks, and what each hire cost in bonuses."),
        figures,
        (
            _cash_block(data),
            _points_block(data),
            _challenges_block(q.challenge_impact(filters, scope)),
            Block(_summary(data, with_cost=True)),
        ),
    )


def build_own(filters: Filters, scope: Scope) -> Section:
    data = q.rewards(filters, scope)
    figures = (
        Figure(_("Bonus paid to you"), _money(data.paid)),
        Figure(_("Bonus still to come"), _money(data.due)),
        Figure(_("Points earned"), data.points_issued),
        Figure(_("Perks redeemed"), data.perks_redeemed),
    )
    return Section(
        "rewards",
        _("What your referrals earned you"),
        _("Your bonuses paid and to come, your points and your perks in this period."),
        figures,
        (_cash_block(data), _points_block(data), Block(_summary(data, with_cost=False))),
    )
