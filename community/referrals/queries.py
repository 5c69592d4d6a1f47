"""Reading referrals: a referrer's own list, HR's review queue and its search, the hiring manager's
list of referrals to their jobs, load-or-abort for one referral, its interview feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from community.accounts.models import Role, User
from community.core.time import to_local, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage, next_stages
from community.referrals.models import Candidate, InterviewFeedback, Referral, ReferralEvent
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


# A search longer than this is cut here: no name, e-mail or job title it looks for is longer.
MAX_SEARCH_LENGTH = 100


@dataclass(frozen=True)
class QueueFilters:
    """What a list of referrals is narrowed to: HR's queue, or a hiring manager's list (which
    has no department filter). `q` is searched in the candidate's name and e-mail, the job's
    title and the referrer's name; `q_trimmed` says it was cut to `MAX_SEARCH_LENGTH`."""

    job_id: int | None = None
    department_id: int | None = None
    stage: Stage | None = None
    overdue_only: bool = False
    q: str = ""
    q_trimmed: bool = False

    @staticmethod
    def search_text(raw: str | None) -> tuple[str, bool]:
        """The search as typed, without outer spaces, and whether it had to be cut."""
        text = " ".join((raw or "").split())
        return text[:MAX_SEARCH_LENGTH].strip(), len(text) > MAX_SEARCH_LENGTH

    @property
    def narrowed(self) -> bool:
        """Anything but the plain list is asked for."""
        return bool(self.as_args())

    def as_args(self, *, without_q: bool = False) -> dict[str, Any]:
        """Query-string arguments that give these filters again (pager and "clear" links)."""
        args: dict[str, Any] = {
            "q": "" if without_q else self.q,
            "job": self.job_id,
            "department": self.department_id,
            "stage": self.stage.value if self.stage else None,
            "overdue": "1" if self.overdue_only else None,
        }
        return {key: value for key, value in args.items() if value}


Referrer = aliased(User, name="referrer")


def _matches(q: str) -> ColumnElement[bool]:
    """Candidate name or e-mail, job title or referrer name contains `q`, ignoring case on both
    engines (`icontains` is lower(…) LIKE lower(…), with %, _ in `q` taken literally)."""
    return or_(
        Candidate.name.icontains(q, autoescape=True),
        Candidate.email.icontains(q, autoescape=True),
        Job.title.icontains(q, autoescape=True),
        Job.title_en.icontains(q, autoescape=True),
        Referrer.name.icontains(q, autoescape=True),
        Referrer.display_name.icontains(q, autoescape=True),
    )


def _narrowed(query: Select, filters: QueueFilters) -> Select:
    """`query` (of referrals joined to their job) narrowed by `filters`. Without a stage filter
    it keeps the referrals still in the pipeline (not closed)."""
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
    if filters.q:
        query = (
            query.join(Candidate, Referral.candidate_id == Candidate.id)
            .join(Referrer, Referral.referrer_id == Referrer.id)
            .where(_matches(filters.q))
        )
    return query


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
    return _narrowed(query, filters)


def queue_jobs() -> list[Job]:
    """Every job, by title, for the queue's job filter."""
    return list(db.session.scalars(select(Job).order_by(Job.title)))


def hiring_jobs(manager: User) -> list[Job]:
    """The jobs `manager` is the hiring manager of, by title."""
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.hiring_manager_id == manager.id)
            .options(joinedload(Job.department))
            .order_by(Job.title, Job.id)
        )
    )


def hiring_referrals(manager: User, filters: QueueFilters) -> Select:
    """Referrals to the jobs `manager` hires for, latest change first, except the ones they made
    themselves (those they follow as the referrer, in "My referrals")."""
    query = (
        select(Referral)
        .join(Job, Referral.job_id == Job.id)
        .where(Job.hiring_manager_id == manager.id, Referral.referrer_id != manager.id)
        .options(
            joinedload(Referral.job).joinedload(Job.department),
            joinedload(Referral.candidate),
            joinedload(Referral.referrer),
        )
        .order_by(Referral.stage_changed_at.desc(), Referral.id.desc())
    )
    return _narrowed(query, filters)


def interview_feedback_for(referral: Referral) -> list[InterviewFeedback]:
    """The interview feedback on `referral`, oldest first, with its authors."""
    return list(
        db.session.scalars(
            select(InterviewFeedback)
            .where(InterviewFeedback.referral_id == referral.id)
            .options(joinedload(InterviewFeedback.author))
            .order_by(InterviewFeedback.created_at, InterviewFeedback.id)
        )
    )


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
