"""A referral's bonus schedule: every share of its bonus with the day it falls due and where it
stands — paid, approved, pending, cancelled, or still ahead (a stage not reached yet).

The dates are counted from the hire's start date (given by HR when confirming the hire): the
share at hire falls due on the start date, the share after probation when probation ends
(`program.queries.probation_ends_on`, the rules' probation length); a share at offer on the day
the offer was made. A share already earned keeps the date written on its payout (`due_on`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.core.money import Money
from community.extensions import db
from community.payouts.labels import next_step
from community.payouts.models import Payout
from community.payouts.queries import exclusion_reason, instalments_for, rules_of
from community.pipeline import PIPELINE, Stage, position
from community.program.models import ProgramRules
from community.program.queries import probation_ends_on
from community.referrals.models import Referral


class ShareState(enum.StrEnum):
    """Where one share of a bonus stands: a payout's status, or "upcoming" (not earned yet)."""

    UPCOMING = "upcoming"
    PENDING = "pending"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"

    @property
    def is_still_to_come(self) -> bool:
        return self in (ShareState.UPCOMING, ShareState.PENDING, ShareState.APPROVED)


def due_date(
    rules: ProgramRules, stage: Stage, start_date: date | None, reached_on: date | None = None
) -> date | None:
    """The day the share of `stage` falls due: the start date for the share at hire, the end of
    probation for the share after it, the day it was reached for any other; None when not known
    yet (no start date, stage not reached)."""
    if stage == Stage.HIRED and start_date is not None:
        return start_date
    if stage == Stage.PROBATION_PASSED and start_date is not None:
        return probation_ends_on(rules, start_date)
    return reached_on


@dataclass(frozen=True)
class ScheduledShare:
    stage: Stage
    percent: int
    amount: Money
    due_on: date | None
    state: ShareState
    payout: Payout | None = None

    @property
    def is_due(self) -> bool:
        """Earned and on its way (pending or approved)."""
        return self.state in (ShareState.PENDING, ShareState.APPROVED)


@dataclass
class ReferralSchedule:
    referral: Referral
    shares: list[ScheduledShare] = field(default_factory=list)

    @property
    def still_to_come(self) -> list[Money]:
        return add_up(s.amount for s in self.shares if s.state.is_still_to_come)

    @property
    def paid(self) -> list[Money]:
        return add_up(s.amount for s in self.shares if s.state == ShareState.PAID)


def add_up(amounts: Iterable[Money]) -> list[Money]:
    """Amounts summed per currency, in currency order (cents stay exact)."""
    totals: dict[str, int] = {}
    for amount in amounts:
        totals[amount.currency] = totals.get(amount.currency, 0) + amount.amount_minor
    return [Money(minor, currency) for currency, minor in sorted(totals.items())]


def _reached(referral: Referral, stage: Stage) -> bool:
    current = referral.stage
    return current in PIPELINE and position(current) >= position(stage)


def schedule_for(
    referral: Referral, payouts: Iterable[Payout] | None = None
) -> list[ScheduledShare]:
    """Every share of the referral's bonus in pipeline order: the payouts it earned (with their
    status and due date) and, while the referral is alive, the shares still ahead with the day
    they will fall due. Nothing when the referrer earns no bonus for it."""
    if exclusion_reason(referral) is not None:
        return []
    if payouts is None:
        payouts = db.session.scalars(select(Payout).where(Payout.referral_id == referral.id))
    earned = {p.stage: p for p in payouts}
    rules = rules_of(referral)
    alive = not referral.stage.is_closed_unsuccessfully and referral.left_company_on is None
    shares: list[ScheduledShare] = []
    for instalment in instalments_for(referral):
        stage = Stage(instalment.stage)
        payout = earned.get(stage)
        if payout is not None:
            shares.append(
                ScheduledShare(
                    stage=stage,
                    percent=payout.share_percent,
                    amount=payout.amount,
                    due_on=payout.due_on or due_date(rules, stage, referral.start_date),
                    state=ShareState(payout.status.value),
                    payout=payout,
                )
            )
        elif alive and instalment.amount.amount_minor > 0 and not _reached(referral, stage):
            shares.append(
                ScheduledShare(
                    stage=stage,
                    percent=instalment.percent,
                    amount=instalment.amount,
                    due_on=due_date(rules, stage, referral.start_date),
                    state=ShareState.UPCOMING,
                )
            )
    return shares


def schedules_of(referrer: User) -> list[ReferralSchedule]:
    """A referrer's bonus schedules, one per referral that earned a share or is hired, the most
    recent hire first."""
    earned_any = select(Payout.referral_id).where(Payout.referrer_id == referrer.id)
    referrals = db.session.scalars(
        select(Referral)
        .where(
            Referral.referrer_id == referrer.id,
            or_(
                Referral.id.in_(earned_any),
                Referral.stage.in_((Stage.HIRED, Stage.PROBATION_PASSED)),
            ),
        )
        .options(
            joinedload(Referral.job),
            joinedload(Referral.candidate),
            joinedload(Referral.referrer),
            joinedload(Referral.rules),
        )
        .order_by(Referral.stage_changed_at.desc(), Referral.id.desc())
    ).all()
    by_referral: dict[int, list[Payout]] = {}
    for payout in db.session.scalars(select(Payout).where(Payout.referrer_id == referrer.id)):
        by_referral.setdefault(payout.referral_id, []).append(payout)
    schedules = []
    for referral in referrals:
        shares = schedule_for(referral, by_referral.get(referral.id, []))
        if shares:
            schedules.append(ReferralSchedule(referral, shares))
    return schedules


def share_step(share: ScheduledShare, referral: Referral) -> str:
    """What happens next with one share, in plain words for the referrer (its date is shown
    beside it)."""
    candidate = referral.candidate.name
    if share.payout is not None:
        return next_step(share.payout)
    if share.stage == Stage.PROBATION_PASSED:
        if share.due_on:
            return _(
                "Falls due when probation ends, if %(candidate)s is still with the company.",
                candidate=candidate,
            )
        return _("Falls due when %(candidate)s passes probation.", candidate=candidate)
    if share.stage == Stage.HIRED:
        return _("Falls due on the first working day of %(candidate)s.", candidate=candidate)
    return _("Falls due when %(candidate)s receives an offer.", candidate=candidate)
