"""Moving a referral through the pipeline, withdrawing it, and recording that a hire left.

Each function locks the referral row, checks the move, writes the stage and its history, and
publishes what happened (`events.StageAdvanced`, `HireConfirmed`, `HireLeft`) inside the same
transaction: points, badges, payouts and notifications are written by their listeners, and if
any of them fails nothing is committed.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.permissions import is_hr
from community.core.time import add_working_days, local_today, to_local, utcnow
from community.extensions import db
from community.pipeline import (
    PIPELINE,
    SLA_STAGES,
    Stage,
    next_stages,
    position,
    reasons,
    stage_label,
)
from community.program.queries import current_rules
from community.referrals import queries
from community.referrals.errors import ReferralError
from community.referrals.models import EventKind, Referral, ReferralEvent
from community.referrals.permissions import can_decide_on

logger = logging.getLogger(__name__)

# How far from the day HR confirms a hire its start date may lie, either way.
START_DATE_RANGE = timedelta(days=365)


def _conflict(stage: Stage) -> ReferralError:
    return ReferralError(
        _("This referral has already moved to %(stage)s.", stage=stage_label(stage)),
        status=CONFLICT,
        code="stage_conflict",
    )


def _own_referral() -> ReferralError:
    return ReferralError(
        _("You referred this person: another HR colleague decides on it."),
        status=FORBIDDEN,
        code="own_referral",
    )


def _reason_code(to_stage: Stage, code: str | None, reason: str | None) -> str:
    """The reason code a rejection or withdrawal records: one of `reasons.codes_for(to_stage)`;
    free text alone counts as "other", and "other" needs the free text."""
    code = (code or "").strip() or None
    if code is None and not reason:
        if to_stage == Stage.WITHDRAWN:
            raise ReferralError(_("Please give a reason for withdrawing."), field="reason_code")
        raise ReferralError(
            _("Please give a reason when a referral does not move forward."), field="reason_code"
        )
    if code is None:
        return reasons.OTHER
    if code not in reasons.codes_for(to_stage):
        raise ReferralError(_("Please choose one of the reasons in the list."), field="reason_code")
    if code == reasons.OTHER and not reason:
        raise ReferralError(_("Please say in a few words what the reason is."), field="reason")
    return code


def _check_start_date(start_date: date | None, decided_on: date) -> date:
    """A hire's start date: given, and not more than START_DATE_RANGE from the day it is
    confirmed (a typo in the year would otherwise date the whole bonus schedule)."""
    if start_date is None:
        raise ReferralError(
            _("Please enter the hire's start date (their first working day)."), field="start_date"
        )
    earliest, latest = start_date_bounds(decided_on)
    if start_date < earliest:
        raise ReferralError(
            _(
                "The start date cannot be more than a year ago: the earliest is %(date)s.",
                date=format_date(earliest, "medium"),
            ),
            field="start_date",
        )
    if start_date > latest:
        raise ReferralError(
            _(
                "The start date cannot be more than a year ahead: the latest is %(date)s.",
                date=format_date(latest, "medium"),
            ),
            field="start_date",
        )
    return start_date


def start_date_bounds(decided_on: date | None = None) -> tuple[date, date]:
    """The earliest and latest start date a hire confirmed on `decided_on` (today) may have."""
    day = decided_on or local_today()
    return day - START_DATE_RANGE, day + START_DATE_RANGE


def _check_transition(referral: Referral, to_stage: Stage, actor: User) -> None:
    current = referral.stage
    if current.is_terminal:
        raise ReferralError(
            _(
                "This referral is closed (%(stage)s) and cannot move any more.",
                stage=stage_label(current),
            )
        )
    if current.is_hired and to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
        raise ReferralError(
            _(
                "The candidate has been hired, so the referral can no longer be rejected or withdrawn. If they leave, record that they left the company."
            )
        )
    if to_stage == Stage.WITHDRAWN:
        if not (is_hr(actor) or actor.id == referral.referrer_id):
            raise ReferralError(_("You cannot withdraw this referral."), status=FORBIDDEN)
        return
    if not is_hr(actor):
        raise ReferralError(
            _("Only HR can move a referral through the pipeline."), status=FORBIDDEN
        )
    if not can_decide_on(actor, referral):
        raise _own_referral()
    if to_stage == Stage.REJECTED:
        return
    if to_stage == Stage.PROBATION_PASSED and referral.left_company_on is not None:
        raise ReferralError(
            _("The hire has left the company, so probation cannot be marked as passed.")
        )
    if to_stage not in next_stages(current, left_company=referral.left_company_on is not None):
        if to_stage in PIPELINE and position(to_stage) < position(current):
            raise ReferralError(
                _(
                    "Referrals only move forward. It is already at %(stage)s.",
                    stage=stage_label(current),
                )
            )
        raise ReferralError(
            _(
                "A referral at %(current)s cannot move straight to %(stage)s.",
                current=stage_label(current),
                stage=stage_label(to_stage),
            )
        )


def _lock(referral: Referral) -> Referral:
    """Re-read the referral with a row lock (FOR UPDATE on PostgreSQL) so concurrent moves serialize."""
    return db.session.scalars(
        select(Referral)
        .where(Referral.id == referral.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _clean(value: str | None, limit: int = 4000) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def advance_stage(
    referral: Referral,
    to_stage: Stage | str,
    actor: User,
    *,
    internal_note: str | None = None,
    feedback: str | None = None,
    reason: str | None = None,
    reason_code: str | None = None,
    start_date: date | None = None,
    expected_from: Stage | str | None = None,
    at: datetime | None = None,
) -> Referral:
    """Move a referral to `to_stage`, recording who, when, an internal note (HR only) and
    feedback for the referrer, in one transaction with everything the move causes
    (`events.StageAdvanced`).

    Forward only along PIPELINE (next stage, or submitted → interviewing); closed referrals do
    not move. Rejected and withdrawn (HR, or the referrer) need a reason: a `reason_code` of
    `referrals.reasons` and/or the free text `reason` (text alone is "other"; "other" needs
    text). Hired needs the hire's `start_date`, within a year of the day of the move either way;
    it is stored on the referral and travels on every later event, and the bonus schedule is
    counted from it. Only HR moves a referral, and never one they referred (403, code
    "own_referral"): withdrawing is the one move left to its referrer. `expected_from` is the
    stage the actor saw: if the referral moved meanwhile (a repeated submit), nothing is recorded
    and a ReferralError with code "stage_conflict" (409) is raised. `at` backdates the change
    (demo data only). A refused move writes nothing; its ReferralError names the `field`.
    """
    try:
        to_stage = Stage(to_stage)
        expected = Stage(expected_from) if expected_from else None
    except ValueError as exc:
        raise ReferralError(_("Unknown stage.")) from exc
    reason = _clean(reason)
    locked = _lock(referral)
    if locked.stage == to_stage or (expected is not None and locked.stage != expected):
        db.session.rollback()
        raise _conflict(locked.stage)
    now = at or utcnow()
    try:
        _check_transition(locked, to_stage, actor)
        if to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
            reason_code = _reason_code(to_stage, reason_code, reason)
        else:
            reason_code = reason = None  # a forward move has no reason to show the referrer
        if to_stage == Stage.HIRED:
            start_date = _check_start_date(start_date, to_local(now).date())
    except ReferralError:
        db.session.rollback()
        raise

    from_stage = locked.stage
    feedback = _clean(feedback)
    sla_days = current_rules().review_sla_days
    try:
        db.session.add(
            ReferralEvent(
                referral_id=locked.id,
                kind=EventKind.STAGE_CHANGE,
                from_stage=from_stage,
                to_stage=to_stage,
                actor_id=actor.id,
                internal_note=_clean(internal_note),
                feedback=feedback,
                reason_code=reason_code,
                reason=reason,
                created_at=now,
            )
        )
        if to_stage == Stage.HIRED:
            locked.start_date = start_date
        locked.stage = to_stage
        locked.stage_changed_at = now
        locked.review_due_at = add_working_days(now, sla_days) if to_stage in SLA_STAGES else None
        db.session.flush()
        events.publish(
            events.StageAdvanced(
                referral_id=locked.id,
                referrer_id=locked.referrer_id,
                actor_id=actor.id,
                job_id=locked.job_id,
                job_title=locked.job.title,
                job_hard_to_fill=bool(locked.job.hard_to_fill),
                candidate_name=locked.candidate.name,
                rules_id=locked.rules_id,
                from_stage=from_stage,
                to_stage=to_stage,
                has_feedback=bool(feedback or reason or reason_code),
                at=now,
                start_date=locked.start_date,
                feedback=feedback,
                reason=reason,
                reason_code=reason_code,
            )
        )
        if to_stage == Stage.HIRED:
            events.publish(
                events.HireConfirmed(
                    referral_id=locked.id,
                    referrer_id=locked.referrer_id,
                    job_id=locked.job_id,
                    hired_on=to_local(now).date(),
                    at=now,
                    start_date=locked.start_date,
                )
            )
        db.session.commit()
    except IntegrityError as exc:
        # The unique (referral, to_stage) caught a concurrent duplicate: report it, record nothing.
        db.session.rollback()
        raise _conflict(to_stage) from exc
    except Exception:
        db.session.rollback()
        raise
    logger.info("referral %s moved %s -> %s by user %s", locked.id, from_stage, to_stage, actor.id)
    return locked


def withdraw_referral(
    referral: Referral, actor: User, reason: str | None, reason_code: str | None = None
) -> Referral:
    """Withdraw a referral that is still open (the referrer or HR): a reason is required, a
    `reason_code` of `reasons.WithdrawReason` and/or free text (see `advance_stage`)."""
    return advance_stage(
        referral,
        Stage.WITHDRAWN,
        actor,
        reason=reason,
        reason_code=reason_code,
        expected_from=referral.stage,
    )


def record_left_company(
    referral: Referral, actor: User, left_on: date, note: str | None = None
) -> Referral:
    """Record that a hired referral left the company on `left_on` (HR only), publishing
    `events.HireLeft` (the referrer is told; later bonus shares are cancelled).

    Never by the HR officer who made the referral (403). Only for hired or probation-passed
    referrals, once; the date may not be in the future or before the hire.
    """
    if not is_hr(actor):
        raise ReferralError(_("Only HR can record that a hire left the company."), status=FORBIDDEN)
    if not can_decide_on(actor, referral):
        raise _own_referral()
    locked = _lock(referral)
    try:
        if locked.stage not in (Stage.HIRED, Stage.PROBATION_PASSED):
            raise ReferralError(
                _("Only a hired referral can be recorded as having left the company.")
            )
        if locked.left_company_on is not None:
            raise ReferralError(
                _("It is already recorded that this hire left the company."), status=CONFLICT
            )
        if left_on > local_today():
            raise ReferralError(_("The leaving date cannot be in the future."), field="left_on")
        start = queries.hired_on(locked)
        if start and left_on < start:
            raise ReferralError(
                _("The leaving date cannot be before the hire date."), field="left_on"
            )
        now = utcnow()
        locked.left_company_on = left_on
        db.session.add(
            ReferralEvent(
                referral_id=locked.id,
                kind=EventKind.LEFT_COMPANY,
                from_stage=locked.stage,
                to_stage=None,
                actor_id=actor.id,
                internal_note=_clean(note),
                created_at=now,
            )
        )
        db.session.flush()
        events.publish(
            events.HireLeft(
                referral_id=locked.id,
                referrer_id=locked.referrer_id,
                actor_id=actor.id,
                job_title=locked.job.title,
                candidate_name=locked.candidate.name,
                left_on=left_on,
                at=now,
                start_date=locked.start_date,
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info("referral %s: hire left on %s (recorded by %s)", locked.id, left_on, actor.id)
    return locked
