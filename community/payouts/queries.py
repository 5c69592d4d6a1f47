"""Reading payouts: HR's filtered list (and its CSV), a referrer's own payouts, load-or-abort."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from community.accounts.models import Role, User
from community.core.time import company_tz, to_local
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


@dataclass
class PayoutFilters:
    status: PayoutStatus | None = None
    department_id: int | None = None  # the referrer's department (payroll's cost centre)
    month: str | None = None  # "2026-11": the month the payout was earned, in the company zone

    def as_args(self) -> dict[str, str]:
        args = {
            "status": self.status.value if self.status else "",
            "department": str(self.department_id or ""),
            "month": self.month or "",
        }
        return {k: v for k, v in args.items() if v}


def month_bounds(month: str) -> tuple[datetime, datetime] | None:
    """The naive-UTC start and end of a "YYYY-MM" month in the company zone; None when invalid."""
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=company_tz())
    except ValueError:
        return None
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return (
        start.astimezone(UTC).replace(tzinfo=None),
        end.astimezone(UTC).replace(tzinfo=None),
    )


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Payout.referrer).joinedload(User.department),
        joinedload(Payout.referral).joinedload(Referral.job).joinedload(Job.department),
        joinedload(Payout.referral).joinedload(Referral.candidate),
    )


def payouts_for_hr(filters: PayoutFilters) -> Select:
    """Every payout matching the filters, oldest pending first, then newest."""
    query = select(Payout).join(User, Payout.referrer_id == User.id)
    if filters.status:
        query = query.where(Payout.status == filters.status)
    if filters.department_id:
        query = query.where(User.department_id == filters.department_id)
    bounds = month_bounds(filters.month) if filters.month else None
    if bounds:
        query = query.where(Payout.created_at >= bounds[0], Payout.created_at < bounds[1])
    pending_first = (Payout.status != PayoutStatus.PENDING).asc()
    return _with_details(query).order_by(pending_first, Payout.created_at.asc(), Payout.id)


def payouts_of(referrer: User) -> list[Payout]:
    """A referrer's own payouts, newest first."""
    return list(
        db.session.scalars(
            _with_details(select(Payout).where(Payout.referrer_id == referrer.id)).order_by(
                Payout.created_at.desc(), Payout.id.desc()
            )
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
