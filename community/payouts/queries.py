"""Reading payouts: HR's filtered list (and its CSV), a referrer's own payouts, load-or-abort."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, case, cast, func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import Role, User
from community.core.sorting import Sort, Sorting, SortKey
from community.core.time import to_local
from community.extensions import db
from community.jobs.models import Job
from community.payouts.labels import status_label
from community.payouts.models import Payout, PayoutStatus
from community.pipeline import PIPELINE, stage_label
from community.program.models import ProgramRules
from community.program.queries import BonusInstalment, bonus_instalments, current_rules
from community.referrals.models import Referral

# Rules and amounts ---------------------------------------------------------------------------


def rules_of(referral: Referral) -> ProgramRules:
    """The rules the referral met at submission (the current ones for very old referrals)."""
    return referral.rules or current_rules()


def instalments_for(referral: Referral) -> list[BonusInstalment]:
    """The referral's locked-in bonus split by its locked-in rules, in exact minor units."""
    return bonus_instalments(rules_of(referral), referral.bonus)


def exclusion_reason(referral: Referral) -> str | None:
    """Why the referrer earns no bonus for this referral under its rules, or None."""
    rules = rules_of(referral)
    if rules.exclude_hr_from_bonus and referral.referrer.role == Role.HR:
        return _("No bonus for this referral: HR staff are excluded from referral bonuses.")
    if (
        rules.exclude_hiring_manager_from_bonus
        and referral.job.hiring_manager_id == referral.referrer_id
    ):
        return _(
            "No bonus for this referral: the hiring manager of a job earns no bonus for referrals to it."
        )
    return None


# Lists ---------------------------------------------------------------------------------------


# The day a payout falls due: its `due_on` (the day its stage was reached; for a hire's shares a
# day counted from the start date), or, for a row from before due dates were kept, the day it was
# created. Every "due" of the HR list (the column, the month filter, the sort) reads this one
# expression, as My payouts and the overdue flag read `due_on`.
DUE = func.coalesce(Payout.due_on, func.date(Payout.created_at))

_STATUS_ORDER = case(
    {
        PayoutStatus.PENDING.value: 0,
        PayoutStatus.APPROVED.value: 1,
        PayoutStatus.PAID.value: 2,
        PayoutStatus.CANCELLED.value: 3,
    },
    value=cast(Payout.status, String),
    else_=4,
)

# HR's payouts list: what a header click may sort by. The default puts the payouts that wait for
# HR on top, in the order they fell due.
PAYOUT_SORTING = Sorting(
    keys={
        "due": SortKey(_l("Due"), [DUE], kind="date"),
        "referrer": SortKey(
            _l("Referrer"), [func.lower(func.coalesce(User.display_name, User.name))]
        ),
        "amount": SortKey(
            _l("Amount"), [Payout.currency, Payout.amount_minor], kind="number", default_dir="desc"
        ),
        "status": SortKey(
            _l("Status"),
            [_STATUS_ORDER, DUE],
            phrases=(
                _l(
                    "pending approval first, then approved, paid and cancelled, each earliest due first"
                ),
                _l("cancelled first, then paid, approved and pending, each latest due first"),
            ),
        ),
    },
    default="status",
    tiebreak=Payout.id,
)


@dataclass
class PayoutFilters:
    status: PayoutStatus | None = None
    department_id: int | None = None  # the referrer's department (payroll's cost centre)
    month: str | None = None  # "2026-11": the month the payout fell due, in the company zone
    referrer_id: int | None = None

    def as_args(self) -> dict[str, str]:
        args = {
            "status": self.status.value if self.status else "",
            "department": str(self.department_id or ""),
            "month": self.month or "",
            "referrer": str(self.referrer_id or ""),
        }
        return {k: v for k, v in args.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def month_bounds(month: str) -> tuple[date, date] | None:
    """The first day of a "YYYY-MM" month and of the next one (due dates are calendar days in
    the company zone); None when invalid."""
    if not re.fullmatch(r"\d{4}-\d{2}", month or ""):
        return None
    try:
        start = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        return None
    end = date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)
    return start, end


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Payout.referrer).joinedload(User.department),
        joinedload(Payout.referral).joinedload(Referral.job).joinedload(Job.department),
        joinedload(Payout.referral).joinedload(Referral.candidate),
    )


def payouts_for_hr(filters: PayoutFilters, sort: Sort | None = None) -> Select:
    """Every payout matching the filters, in `sort`'s order (the list's default without one)."""
    query = select(Payout).join(User, Payout.referrer_id == User.id)
    if filters.status:
        query = query.where(Payout.status == filters.status)
    if filters.department_id:
        query = query.where(User.department_id == filters.department_id)
    if filters.referrer_id:
        query = query.where(Payout.referrer_id == filters.referrer_id)
    bounds = month_bounds(filters.month) if filters.month else None
    if bounds:
        query = query.where(bounds[0] <= DUE, bounds[1] > DUE)
    return (sort or PAYOUT_SORTING.parse({})).apply(_with_details(query))


@dataclass(frozen=True)
class MonthChoice:
    value: str  # "2026-11"
    first_day: date
    count: int


def due_months() -> list[MonthChoice]:
    """The months (company zone) in which payouts fell due, latest first, with how many."""
    counts: dict[str, int] = {}
    for due in db.session.scalars(select(DUE)):
        key = due.strftime("%Y-%m") if isinstance(due, date) else str(due)[:7]
        counts[key] = counts.get(key, 0) + 1
    return [
        MonthChoice(key, date(int(key[:4]), int(key[5:]), 1), count)
        for key, count in sorted(counts.items(), reverse=True)
    ]


def referrers_with_payouts() -> list[User]:
    """Everyone who has a payout, by name: the referrer filter's choices."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(select(Payout.referrer_id)))
            .order_by(func.lower(func.coalesce(User.display_name, User.name)), User.id)
        )
    )


def payouts_for_referral(referral: Referral) -> list[Payout]:
    """One referral's payouts in pipeline order (callers already checked who may see it)."""
    payouts = db.session.scalars(select(Payout).where(Payout.referral_id == referral.id)).all()
    return sorted(payouts, key=lambda p: PIPELINE.index(p.stage) if p.stage in PIPELINE else 99)


def get_payout(payout_id: int) -> Payout:
    """The payout, or 404 (callers are HR-only views)."""
    payout = db.session.scalars(_with_details(select(Payout).where(Payout.id == payout_id))).first()
    if payout is None:
        abort(404)
    return payout


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payroll_csv(payouts: Iterable[Payout]) -> str:
    """Payroll's CSV: a BOM so Excel reads UTF-8 Chinese, amounts as exact decimal strings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Payout ID"),
            _("Referrer"),
            _("Email"),
            _("Department"),
            _("Candidate"),
            _("Job"),
            _("Stage"),
            _("Share (%)"),
            _("Amount"),
            _("Currency"),
            _("Status"),
            _("Earned on"),
            _("Paid on"),
            _("Payroll reference"),
        ]
    )
    for payout in payouts:
        referrer = payout.referrer
        writer.writerow(
            [
                payout.id,
                _cell(referrer.name),
                _cell(referrer.email),
                _cell(referrer.department.name if referrer.department else ""),
                _cell(payout.referral.candidate.name),
                _cell(payout.referral.job.title),
                stage_label(payout.stage),
                payout.share_percent,
                str(payout.amount.decimal),
                payout.currency,
                status_label(payout.status),
                to_local(payout.created_at).date().isoformat(),
                payout.paid_on.isoformat() if payout.paid_on else "",
                _cell(payout.payroll_reference),
            ]
        )
    return "\ufeff" + buffer.getvalue()
