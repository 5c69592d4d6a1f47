"""Reads of the API room: HR's list of tokens, and the pages the API answers with, each in id
order with a cursor (the last id of the page before), which stays right while rows are added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from community.accounts.models import User
from community.api.models import ApiToken
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.payouts.models import Payout, PayoutStatus
from community.pipeline import Stage
from community.referrals.models import Referral

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def tokens() -> list[ApiToken]:
    """Every token, newest first (live and revoked: HR sees what was made and by whom)."""
    return list(
        db.session.scalars(
            select(ApiToken).options(selectinload(ApiToken.created_by)).order_by(ApiToken.id.desc())
        )
    )


def _page(statement: Select[Any], id_column: Any, cursor: int | None, limit: int) -> Page[Any]:
    if cursor is not None:
        statement = statement.where(id_column > cursor)
    rows = list(db.session.scalars(statement.order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, str(rows[-1].id) if more else None)


def jobs(
    status: JobStatus | None, department_id: int | None, cursor: int | None, limit: int
) -> Page[Job]:
    statement = select(Job).options(selectinload(Job.department))
    if status is not None:
        statement = statement.where(Job.status == status)
    if department_id is not None:
        statement = statement.where(Job.department_id == department_id)
    return _page(statement, Job.id, cursor, limit)


def referrals(
    stage: Stage | None,
    job_id: int | None,
    updated_since: datetime | None,
    cursor: int | None,
    limit: int,
    *,
    with_candidate: bool,
) -> Page[Referral]:
    """Referrals filtered by stage, job and the time their stage last changed (at or after)."""
    statement = select(Referral)
    if with_candidate:
        statement = statement.options(selectinload(Referral.candidate))
    if stage is not None:
        statement = statement.where(Referral.stage == stage)
    if job_id is not None:
        statement = statement.where(Referral.job_id == job_id)
    if updated_since is not None:
        statement = statement.where(Referral.stage_changed_at >= updated_since)
    return _page(statement, Referral.id, cursor, limit)


def payouts(
    status: PayoutStatus | None, referral_id: int | None, cursor: int | None, limit: int
) -> Page[Payout]:
    statement = select(Payout)
    if status is not None:
        statement = statement.where(Payout.status == status)
    if referral_id is not None:
        statement = statement.where(Payout.referral_id == referral_id)
    return _page(statement, Payout.id, cursor, limit)


def people(department_id: int | None, cursor: int | None, limit: int) -> Page[User]:
    """Active colleagues, as the staff directory lists them."""
    statement = (
        select(User).options(selectinload(User.department)).where(User.is_active_account.is_(True))
    )
    if department_id is not None:
        statement = statement.where(User.department_id == department_id)
    return _page(statement, User.id, cursor, limit)
