"""Who competes in a challenge and which referrals count: one definition, read by the credits,
the notices and the pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from community.accounts.models import User
from community.challenges.models import Challenge, PeopleScope
from community.core.roles import Role
from community.jobs.models import Job


def is_person_in_scope(challenge: Challenge, user: User, department_id: int | None) -> bool:
    """Whether `user` (in `department_id`) is among the people who compete: in the scope's
    people, active, neither the host nor HR (they never compete in their own challenge)."""
    if user.role == Role.HR or user.id == challenge.host_id or not user.is_active_account:
        return False
    if challenge.people_scope == PeopleScope.DEPARTMENTS:
        return department_id in (challenge.department_ids or [])
    if challenge.people_scope == PeopleScope.TEAM:
        return user.manager_id == challenge.host_id
    return True


def is_job_in_scope(challenge: Challenge, job: Job) -> bool:
    """Whether referrals to `job` count (every job, unless the challenge names jobs or
    families)."""
    if challenge.job_ids and job.id not in challenge.job_ids:
        return False
    return not challenge.job_families or job.family.value in challenge.job_families


def competes(challenge: Challenge, user: User, department_id: int | None, job: Job) -> bool:
    return is_person_in_scope(challenge, user, department_id) and is_job_in_scope(challenge, job)


def participants(challenge: Challenge) -> Select[Any]:
    """A SELECT of the ids of everyone who competes now."""
    query = select(User.id).where(
        User.is_active_account.is_(True), User.role != Role.HR, User.id != challenge.host_id
    )
    if challenge.people_scope == PeopleScope.DEPARTMENTS:
        query = query.where(User.department_id.in_(challenge.department_ids or [-1]))
    elif challenge.people_scope == PeopleScope.TEAM:
        query = query.where(User.manager_id == challenge.host_id)
    return query.order_by(User.id)
