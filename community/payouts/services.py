"""Every write to payouts: creation when a referral reaches a paying stage, cancellation when a
hire leaves early, and HR's approve / mark paid / cancel (one by one or in bulk).

`create_payout_for_stage` and `cancel_after_leaving` run inside the referral's transaction (its
listeners in `payouts.listeners`) and never commit; HR's actions commit themselves. Every change
of a payout publishes `events.PayoutChanged` (notifications and the thanks wall listen).
Refusals are `PayoutError`s whose `message` is in the user's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, DomainError
from community.core.permissions import is_hr
from community.core.time import local_today, to_local, utcnow
from community.extensions import db
from community.payouts.labels import status_phrase
from community.payouts.models import CancelCause, Payout, PayoutStatus
from community.payouts.queries import exclusion_reason, instalments_for, rules_of
from community.payouts.schedule import due_date
from community.pipeline import PIPELINE, Stage
from community.referrals.models import Referral

logger = logging.getLogger(__name__)

MAX_REFERENCE = 64
MAX_REASON = 2000


class PayoutError(DomainError):
    """A payout action refused; `message` is in the user's language."""


class PayoutNotAllowed(PayoutError):
    status = FORBIDDEN


class PayoutConflict(PayoutError):
    """The payout is not in a state that allows the action (already approved, paid, cancelled)."""

    status = CONFLICT


def _changed(payout: Payout, referral: Referral, at: datetime) -> None:
    """Publish what just happened to `payout` (its new status is already set)."""
    events.publish(
        events.PayoutChanged(
            payout_id=payout.id,
            referral_id=referral.id,
            referrer_id=payout.referrer_id,
            status=payout.status.value,
            stage=payout.stage,
            amount_minor=payout.amount_minor,
            currency=payout.currency,
            candidate_name=referral.candidate.name,
            job_title=referral.job.title,
            at=at,
            paid_on=payout.paid_on,
            cause=payout.cancel_cause.value if payout.cancel_cause else None,
            reason=payout.cancel_reason,
            left_on=referral.left_company_on,
        )
    )


# Inside a referral's transaction ------------------------------------------------------------


def create_payout_for_stage(
    referral: Referral, stage: Stage, at: datetime, start_date: date | None = None
) -> Payout | None:
    """Add the payout for `stage` when it is a paying stage of the referral's locked-in rules and
    the referrer is not excluded, and notify the referrer. The caller commits.

    It falls due on a day counted from the hire's `start_date` (`schedule.due_date`): the share
    at hire on the start date, the share after probation when probation ends, not on the day HR
    moved the referral; without a start date (a share at offer), on the day of the move."""
    if exclusion_reason(referral) is not None:
        return None
    share = next((i for i in instalments_for(referral) if i.stage == stage.value), None)
    if share is None or share.amount.amount_minor <= 0:
        return None
    payout = Payout(
        referral_id=referral.id,
        referrer_id=referral.referrer_id,
        stage=stage,
        share_percent=share.percent,
        amount_minor=share.amount.amount_minor,
        currency=share.amount.currency,
        status=PayoutStatus.PENDING,
        created_at=at,
        due_on=due_date(rules_of(referral), stage, start_date, to_local(at).date()),
    )
    db.session.add(payout)
    db.session.flush()
    _changed(payout, referral, at)
    return payout


def cancel_after_leaving(
    referral: Referral, actor: User, at: datetime, start_date: date | None = None
) -> list[Payout]:
    """The hire left before the later paying stages were reached: record those stages' shares as
    cancelled (cancelling any still open) and tell the referrer why. Paid payouts stay paid.
    A share recorded here keeps the day it would have fallen due (from `start_date`).
    The caller commits."""
    if exclusion_reason(referral) is not None or referral.left_company_on is None:
        return []
    reached = PIPELINE.index(referral.stage) if referral.stage in PIPELINE else len(PIPELINE)
    existing = {
        p.stage: p
        for p in db.session.scalars(select(Payout).where(Payout.referral_id == referral.id))
    }
    cancelled: list[Payout] = []
    for share in instalments_for(referral):
        stage = Stage(share.stage)
        if PIPELINE.index(stage) <= reached or share.amount.amount_minor <= 0:
            continue
        payout = existing.get(stage)
        if payout is None:
            payout = Payout(
                referral_id=referral.id,
                referrer_id=referral.referrer_id,
                stage=stage,
                share_percent=share.percent,
                amount_minor=share.amount.amount_minor,
                currency=share.amount.currency,
                created_at=at,
                due_on=due_date(rules_of(referral), stage, start_date),
            )
            db.session.add(payout)
        elif not payout.status.is_open:
            continue
        payout.status = PayoutStatus.CANCELLED
        payout.cancelled_at = at
        payout.cancelled_by_id = actor.id
        payout.cancel_cause = CancelCause.LEFT_COMPANY
        cancelled.append(payout)
        db.session.flush()
        _changed(payout, referral, at)
    return cancelled


# HR's actions --------------------------------------------------------------------------------


@dataclass
class BulkResult:
    """What a bulk action did: how many payouts changed and why the others were refused."""

    done: int = 0
    refused: list[str] = field(default_factory=list)


def _require_hr(actor: User) -> None:
    if not is_hr(actor):
        raise PayoutNotAllowed(_("Only HR can approve, pay or cancel bonus payouts."))


def _locked(payout_id: int) -> Payout:
    payout = db.session.scalars(
        select(Payout)
        .where(Payout.id == payout_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if payout is None:
        raise PayoutConflict(_("This payout no longer exists."))
    return payout


def _refuse_state(payout: Payout, action: str) -> PayoutConflict:
    status = status_phrase(payout.status)
    messages = {
        "approve": _("This payout is already %(status)s, so it cannot be approved.", status=status),
        "pay": _("This payout is %(status)s, so it cannot be marked paid.", status=status),
        "cancel": _("This payout is %(status)s, so it can no longer be cancelled.", status=status),
    }
    return PayoutConflict(messages[action])


def _approve(payout: Payout, actor: User, now: datetime) -> None:
    if payout.status != PayoutStatus.PENDING:
        raise _refuse_state(payout, "approve")
    payout.status = PayoutStatus.APPROVED
    payout.approved_at = now
    payout.approved_by_id = actor.id
    _changed(payout, payout.referral, now)


def _check_payment(paid_on: date | None, reference: str | None) -> str:
    reference = (reference or "").strip()
    if paid_on is None:
        raise PayoutError(_("Please give the date the bonus was paid."), field="paid_on")
    if paid_on > local_today():
        raise PayoutError(_("The payment date cannot be in the future."), field="paid_on")
    if not reference:
        raise PayoutError(
            _("Please give the payroll reference of the payment."), field="payroll_reference"
        )
    if len(reference) > MAX_REFERENCE:
        raise PayoutError(
            ngettext(
                "The payroll reference can have at most %(num)s character.",
                "The payroll reference can have at most %(num)s characters.",
                MAX_REFERENCE,
            ),
            field="payroll_reference",
        )
    return reference


def _pay(payout: Payout, actor: User, paid_on: date, reference: str, now: datetime) -> None:
    if payout.status == PayoutStatus.PENDING:
        raise PayoutConflict(_("Approve this payout before marking it paid."))
    if payout.status != PayoutStatus.APPROVED:
        raise _refuse_state(payout, "pay")
    payout.status = PayoutStatus.PAID
    payout.paid_on = paid_on
    payout.payroll_reference = reference
    payout.paid_at = now
    payout.paid_by_id = actor.id
    _changed(payout, payout.referral, now)  # the referrer is told and thanked in public


def _run_one(payout: Payout, action: Callable[[Payout], None]) -> Payout:
    try:
        locked = _locked(payout.id)
        action(locked)
    except PayoutError:
        db.session.rollback()
        raise
    db.session.commit()
    return locked


def approve_payout(payout: Payout, actor: User, *, at: datetime | None = None) -> Payout:
    """Approve a pending payout (HR only) and tell the referrer."""
    _require_hr(actor)
    payout = _run_one(payout, lambda p: _approve(p, actor, at or utcnow()))
    logger.info("payout %s approved by user %s", payout.id, actor.id)
    return payout


def mark_paid(
    payout: Payout,
    actor: User,
    paid_on: date | None,
    payroll_reference: str | None,
    *,
    at: datetime | None = None,
) -> Payout:
    """Record that an approved payout was paid on `paid_on` under a payroll reference (HR only)."""
    _require_hr(actor)
    reference = _check_payment(paid_on, payroll_reference)
    assert paid_on is not None
    payout = _run_one(payout, lambda p: _pay(p, actor, paid_on, reference, at or utcnow()))
    logger.info("payout %s marked paid by user %s", payout.id, actor.id)
    return payout


def cancel_payout(
    payout: Payout, actor: User, reason: str | None, *, at: datetime | None = None
) -> Payout:
    """Cancel a pending or approved payout with a reason (HR only); paid payouts stay paid."""
    _require_hr(actor)
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise PayoutError(_("Please give a reason for cancelling this payout."), field="reason")

    def cancel(locked: Payout) -> None:
        if not locked.status.is_open:
            raise _refuse_state(locked, "cancel")
        locked.status = PayoutStatus.CANCELLED
        locked.cancelled_at = at or utcnow()
        locked.cancelled_by_id = actor.id
        locked.cancel_cause = CancelCause.HR
        locked.cancel_reason = reason
        _changed(locked, locked.referral, locked.cancelled_at)

    payout = _run_one(payout, cancel)
    logger.info("payout %s cancelled by user %s", payout.id, actor.id)
    return payout


def _bulk(ids: Iterable[int], actor: User, action: Callable[[Payout], None]) -> BulkResult:
    _require_hr(actor)
    result = BulkResult()
    for payout_id in sorted(set(ids)):
        try:
            with db.session.begin_nested():
                action(_locked(payout_id))
            result.done += 1
        except PayoutError as exc:
            result.refused.append(exc.message)
    db.session.commit()
    return result


def approve_payouts(ids: Iterable[int], actor: User) -> BulkResult:
    """Approve every pending payout among `ids` in one transaction; the others are reported."""
    now = utcnow()
    return _bulk(ids, actor, lambda p: _approve(p, actor, now))


def mark_payouts_paid(
    ids: Iterable[int], actor: User, paid_on: date | None, payroll_reference: str | None
) -> BulkResult:
    """Mark every approved payout among `ids` paid with one date and payroll reference."""
    _require_hr(actor)
    reference = _check_payment(paid_on, payroll_reference)
    assert paid_on is not None
    now = utcnow()
    return _bulk(ids, actor, lambda p: _pay(p, actor, paid_on, reference, now))
