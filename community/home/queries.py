"""What the home page shows: the person's referrals in flight, jobs that need help, HR's queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.badges import queries as badges
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.extensions import db
from community.invites import queries as invites
from community.jobs.models import Job, JobStatus
from community.leaderboards import reads
from community.leaderboards.kinds import COMPANY, department_scope
from community.leaderboards.visibility import hr_excluded
from community.pipeline import IN_FLIGHT, Stage
from community.points import queries as points
from community.referrals.models import Referral
from community.thanks.queries import latest_cards


def dashboard(user: User) -> dict[str, Any]:
    counts = dict(
        db.session.execute(
            select(Referral.stage, func.count(Referral.id))
            .where(Referral.referrer_id == user.id)
            .group_by(Referral.stage)
        ).all()
    )
    in_flight = list(
        db.session.scalars(
            select(Referral)
            .where(Referral.referrer_id == user.id, Referral.stage.in_(IN_FLIGHT))
            .order_by(Referral.stage_changed_at.desc())
            .limit(6)
        )
    )
    hard_to_fill = list(
        db.session.scalars(
            select(Job)
            .where(Job.status == JobStatus.OPEN, Job.hard_to_fill.is_(True))
            .order_by(Job.bonus_minor.desc(), Job.id)
            .limit(4)
        )
    )
    open_jobs = (
        db.session.scalar(select(func.count(Job.id)).where(Job.status == JobStatus.OPEN)) or 0
    )
    context: dict[str, Any] = {
        "stats": {
            "total": sum(counts.values()),
            "in_flight": sum(counts.get(s, 0) for s in IN_FLIGHT),
            "hired": counts.get(Stage.HIRED, 0) + counts.get(Stage.PROBATION_PASSED, 0),
            "open_jobs": open_jobs,
        },
        "in_flight": in_flight,
        "hard_to_fill": hard_to_fill,
        "standing": standing(user),
        "thanks": latest_cards(5),
    }
    if is_hr(user):
        context["queue"] = _queue_summary()
    return context


def _queue_summary() -> dict[str, int]:
    waiting = Referral.review_due_at.is_not(None)
    return {
        "waiting": db.session.scalar(select(func.count(Referral.id)).where(waiting)) or 0,
        "overdue": db.session.scalar(
            select(func.count(Referral.id)).where(waiting, Referral.review_due_at < utcnow())
        )
        or 0,
        "new": db.session.scalar(
            select(func.count(Referral.id)).where(Referral.stage == Stage.SUBMITTED)
        )
        or 0,
        # Invitations nobody has answered yet: a number, never who or to whom (invites.queries).
        "invitations": invites.pending_count(),
    }


def standing(user: User) -> dict[str, Any]:
    """The person's level and progress, newest badges, points, and this month's ranks in the
    company and their department.

    `ranks` maps "company" and "department" to a rank number, None (no points on that board yet)
    or "unavailable" (Redis is down). HR staff left off the boards (LEADERBOARD_EXCLUDE_HR) get
    no ranks.
    """
    ranked = not (user.role == Role.HR and hr_excluded())
    scopes = {"company": COMPANY}
    if user.department_id is not None:
        scopes["department"] = department_scope(user.department_id)
    ranks: dict[str, int | str | None] = {}
    for name, scope in scopes.items() if ranked else ():
        place = reads.rank_of(user, scope, "month")
        if place is reads.UNAVAILABLE:
            ranks = dict.fromkeys(scopes, "unavailable")
            break
        ranks[name] = place.rank if place else None
    progress = badges.level_progress(user)
    return {
        "progress": progress,
        "badges": badges.newest_badges(user, limit=4),
        "lifetime": progress.score,  # the level is on the lifetime score: one query for both
        "spendable": points.balance(user.id),
        "ranked": ranked,
        "ranks": ranks,
        "private": bool(user.leaderboard_opt_out),
    }
