"""Reading referrals: a referrer's own list, HR's review queue, load-or-abort for one referral."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from community.accounts.models import Department, User
from community.core.permissions import can_view_referral
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job
from community.referrals.models import Referral, ReferralEvent, Stage

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


def queue_filter_choices() -> tuple[list[Job], list[Department]]:
    jobs = list(db.session.scalars(select(Job).order_by(Job.title)))
    departments = list(db.session.scalars(select(Department).order_by(Department.name)))
    return jobs, departments
