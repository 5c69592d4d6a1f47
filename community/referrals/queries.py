"""Reading referrals: a referrer's own list, HR's review queue, load-or-abort for one referral."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from community.accounts.models import Role, User
from community.core.time import to_local, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage, next_stages
from community.referrals.models import Referral, ReferralEvent
from community.referrals.permissions import can_view_referral

ACTIVE_STAGES = tuple(s for s in Stage if not s.is_terminal)
CLOSED_STAGES = tuple(s for s in Stage if s.is_terminal)


def get_referral_for(user: User, referral_id: int) -> Referral:
    """The referral if `user` may see it; 404 otherwise, so its existence is not revealed."""
    referral = db.session.scalars(
        select(Referral)
        .where(Referral.id == referral_id)
        .options(
            joinedload(Referral.job).joinedload(Job.department),
            joinedload(Referral.candidate),
            joinedload(Referral.referrer),
            selectinload(Referral.events).joinedload(ReferralEvent.actor),
        )
    ).first()
    if referral is None or not can_view_referral(user, referral):
        abort(404)
    return referral


def referrals_of(referrer: User, status: str = "all") -> Select:
    """A referrer's own referrals, newest activity first; status is active, closed or all."""
    query = (
        select(Referral)
        .where(Referral.referrer_id == referrer.id)
        .options(joinedload(Referral.job), joinedload(Referral.candidate))
        .order_by(Referral.stage_changed_at.desc(), Referral.id.desc())
    )
    if status == "active":
        query = query.where(Referral.stage.in_(ACTIVE_STAGES))
    elif status == "closed":
        query = query.where(Referral.stage.in_(CLOSED_STAGES))
    return query


@dataclass
class QueueFilters:
    job_id: int | None = None
    department_id: int | None = None
    stage: Stage | None = None
    overdue_only: bool = False


def review_queue(filters: QueueFilters) -> Select:
    """HR's queue: by review due time (earliest first, no due time last), then oldest first.

    Without a stage filter it shows the referrals still in the pipeline (not closed).
    """
    query = (
        select(Referral)
        .join(Job, Referral.job_id == Job.id)
        .options(
            joinedload(Referral.job).joinedload(Job.department),
            joinedload(Referral.candidate),
            joinedload(Referral.referrer),
        )
        .order_by(
            Referral.review_due_at.is_(None),
            Referral.review_due_at.asc(),
            Referral.submitted_at.asc(),
            Referral.id.asc(),
        )
    )
    if filters.stage is not None:
        query = query.where(Referral.stage == filters.stage)
    else:
        query = query.where(Referral.stage.in_(ACTIVE_STAGES))
    if filters.job_id:
        query = query.where(Referral.job_id == filters.job_id)
    if filters.department_id:
        query = query.where(Job.department_id == filters.department_id)
    if filters.overdue_only:
        query = query.where(Referral.review_due_at.is_not(None), Referral.review_due_at < utcnow())
    return query


def queue_jobs() -> list[Job]:
    """Every job, by title, for the queue's job filter."""
    return list(db.session.scalars(select(Job).order_by(Job.title)))


def allowed_next_stages(referral: Referral) -> list[Stage]:
    """Forward stages HR may move the referral to from where it is (not rejected / withdrawn)."""
    return next_stages(referral.stage, left_company=referral.left_company_on is not None)


def hired_on(referral: Referral) -> date | None:
    """The hire's start date; for hires recorded before start dates were asked, the local date
    the referral reached "hired", from its history."""
    if referral.start_date is not None:
        return referral.start_date
    for event in referral.events:
        if event.to_stage == Stage.HIRED:
            return to_local(event.created_at).date()
    return None


def reviewer_ids(referral: Referral) -> tuple[int, ...]:
    """Who reviews `referral`: active HR staff other than the referrer."""
    return tuple(
        db.session.scalars(
            select(User.id)
            .where(
                User.role == Role.HR,
                User.is_active_account.is_(True),
                User.id != referral.referrer_id,
            )
            .order_by(User.id)
        )
    )
