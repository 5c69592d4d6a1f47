"""The rollups the dashboard reads, kept current by the worker.

The duty `analytics.rollup` runs every minute. It reads each source from its watermark on:

- referral history (`referral_events`, append-only: every submission, stage change and leaving
  is an event): each referral with an event past the mark gets its `ReferralFacts` row
  recomputed from scratch from the referral and its whole history;
- jobs edited since the mark (`jobs.updated_at`): their facts' department and family follow;
- the points ledger (`point_entries`, append-only): each company-zone day an entry past the mark
  falls on is summed again from scratch (`PointsDaily`).

Recomputing whole rows and whole days (never adding increments) makes a run idempotent: running
it twice, or over rows it saw already, writes the same numbers. Each run also re-reads the last
`LOOKBACK` ids below each mark, because on PostgreSQL a transaction may commit an id lower than
one already seen. A worker that was down catches up on its next run (the marks have not moved).
The invalidation rule: a change shows in the numbers after the duty's next run, and the page
says when that was (`freshness.rollups_as_of`). `flask analytics rebuild` starts from nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import Date, cast, delete, func, insert, select, update

from community.analytics.freshness import MARK
from community.analytics.models import PointsDaily, ReferralFacts, RollupMark
from community.core.time import add_working_days, company_tz, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage
from community.points.models import PointEntry
from community.program.models import ProgramRules
from community.referrals.models import EventKind, Referral, ReferralEvent
from community.worker import duties

logger = logging.getLogger(__name__)

LOOKBACK = 100  # ids re-read below each mark: commits that landed out of id order
BATCH = 1000  # referrals recomputed per statement
DEFAULT_SLA_DAYS = 3  # ProgramRules' default, for referrals saved before any rules
EVENTS, JOBS, POINTS = "analytics.events", "analytics.jobs", "analytics.points"

_STAGE_COLUMNS = {
    Stage.SCREENING: "screening_at",
    Stage.INTERVIEWING: "interviewing_at",
    Stage.OFFER: "offer_at",
    Stage.HIRED: "hired_at",
    Stage.PROBATION_PASSED: "probation_passed_at",
}


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _mark(name: str) -> RollupMark:
    mark = db.session.get(RollupMark, name)
    if mark is None:
        mark = RollupMark(name=name, last_id=0)
        db.session.add(mark)
    return mark


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()


def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The naive-UTC instants where the company-zone `day` starts and the next one starts."""
    utc = ZoneInfo("UTC")
    start = datetime.combine(day, time(), tz).astimezone(utc).replace(tzinfo=None)
    end = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(utc)
    return start, end.replace(tzinfo=None)


# Referral facts ----------------------------------------------------------------------------


def _facts_row(
    referral: Any, history: Sequence[Any], sla_days: int, tz: ZoneInfo
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "referral_id": referral.id,
        "referrer_id": referral.referrer_id,
        "job_id": referral.job_id,
        "department_id": referral.department_id,
        "family": referral.family,
        "source": referral.source,
        "stage": referral.stage,
        "submitted_at": referral.submitted_at,
        "submitted_on": _local_day(referral.submitted_at, tz),
        "start_date": referral.start_date,
        "left_company_on": referral.left_company_on,
        "first_review_due_at": add_working_days(referral.submitted_at, sla_days, tz),
        "first_reviewed_at": None,
        "hired_on": None,
        "closed_at": None,
        "closed_stage": None,
        "close_reason": None,
    }
    row.update(dict.fromkeys(_STAGE_COLUMNS.values()))
    for event in history:
        if event.kind != EventKind.STAGE_CHANGE or event.to_stage is None:
            continue
        if event.to_stage != Stage.SUBMITTED and row["first_reviewed_at"] is None:
            row["first_reviewed_at"] = event.created_at
        column = _STAGE_COLUMNS.get(event.to_stage)
        if column:
            row[column] = event.created_at
        elif event.to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
            row["closed_at"], row["closed_stage"] = event.created_at, event.to_stage
            row["close_reason"] = event.reason_code
    if row["hired_at"] is not None:
        row["hired_on"] = _local_day(row["hired_at"], tz)
    _add_durations(row)
    return row


def _add_durations(row: dict[str, Any]) -> None:
    """How far the referral got, and the seconds it spent in each stage it has left: from
    reaching it to reaching the next stage it reached (forward, or closed)."""
    path = ["submitted_at", *_STAGE_COLUMNS.values()]
    reached = [index for index, column in enumerate(path) if row[column] is not None]
    row["reached"] = max(reached)
    for index, column in enumerate(path[:-1]):
        entered = row[column]
        later = [row[c] for c in path[index + 1 :] if row[c] is not None]
        left = later[0] if later else row["closed_at"]
        seconds = None
        if entered is not None and left is not None:
            seconds = max(0, int((left - entered).total_seconds()))
        row[f"in_{column.removesuffix('_at')}_s"] = seconds
    hired = row["hired_at"]
    row["to_hire_s"] = max(0, int((hired - row["submitted_at"]).total_seconds())) if hired else None


def refresh_referrals(referral_ids: Iterable[int]) -> int:
    """Recompute the facts of these referrals from their rows and whole history (a referral
    that no longer exists loses its row). Returns how many were recomputed."""
    tz = company_tz()
    done = 0
    for chunk in _chunks(sorted(set(referral_ids)), BATCH):
        referrals = db.session.execute(
            select(
                Referral.id,
                Referral.referrer_id,
                Referral.job_id,
                Referral.source,
                Referral.stage,
                Referral.submitted_at,
                Referral.start_date,
                Referral.left_company_on,
                Job.department_id,
                Job.family,
                ProgramRules.review_sla_days,
            )
            .join(Job, Job.id == Referral.job_id)
            .outerjoin(ProgramRules, ProgramRules.id == Referral.rules_id)
            .where(Referral.id.in_(chunk))
        ).all()
        history: dict[int, list[Any]] = {}
        for event in db.session.execute(
            select(
                ReferralEvent.referral_id,
                ReferralEvent.kind,
                ReferralEvent.to_stage,
                ReferralEvent.reason_code,
                ReferralEvent.created_at,
            )
            .where(ReferralEvent.referral_id.in_(chunk))
            .order_by(ReferralEvent.id)
        ):
            history.setdefault(event.referral_id, []).append(event)
        rows = [
            _facts_row(r, history.get(r.id, []), r.review_sla_days or DEFAULT_SLA_DAYS, tz)
            for r in referrals
        ]
        db.session.execute(delete(ReferralFacts).where(ReferralFacts.referral_id.in_(chunk)))
        if rows:
            db.session.execute(insert(ReferralFacts), rows)
        done += len(chunk)
    return done


def _catch_up_events() -> int:
    mark = _mark(EVENTS)
    newest = db.session.scalar(select(func.max(ReferralEvent.id))) or 0
    if not newest:
        return 0
    since = max(mark.last_id - LOOKBACK, 0)
    touched = db.session.scalars(
        select(ReferralEvent.referral_id)
        .where(ReferralEvent.id > since, ReferralEvent.id <= newest)
        .distinct()
    ).all()
    refresh_referrals(touched)
    fresh = db.session.scalar(
        select(func.count(ReferralEvent.id)).where(
            ReferralEvent.id > mark.last_id, ReferralEvent.id <= newest
        )
    )
    mark.last_id = newest
    return fresh or 0


def _catch_up_jobs() -> int:
    mark = _mark(JOBS)
    query = select(Job.id, Job.department_id, Job.family, Job.updated_at)
    if mark.last_time is not None:
        # a second's overlap: an edit in the same instant as the mark is read again
        query = query.where(Job.updated_at >= mark.last_time - timedelta(seconds=1))
    jobs = db.session.execute(query).all()
    for job in jobs:
        db.session.execute(
            update(ReferralFacts)
            .where(
                ReferralFacts.job_id == job.id,
                (ReferralFacts.department_id != job.department_id)
                | (ReferralFacts.family != job.family),
            )
            .values(department_id=job.department_id, family=job.family)
        )
    if jobs:
        newest = max(job.updated_at for job in jobs)
        mark.last_time = max(newest, mark.last_time or newest)
    return 0  # dimension fixes only: no new facts


# Points per day ----------------------------------------------------------------------------


def _local_date(offset: timedelta) -> Any:
    """The SQL for an entry's company-zone date, the zone's UTC offset being `offset`."""
    minutes = int(offset.total_seconds() // 60)
    if db.engine.dialect.name == "sqlite":
        return func.date(PointEntry.created_at, f"{minutes:+d} minutes")
    return cast(PointEntry.created_at + offset, Date)


def _same_offset(first: date, last: date, tz: ZoneInfo) -> bool:
    """Whether the zone keeps one UTC offset from `first` to `last` (no clock change between)."""
    start, end = (datetime.combine(d, time(12), tz) for d in (first, last))
    return start.utcoffset() == end.utcoffset() and (last - first).days <= 400


def refresh_points_days(first: date, last: date) -> int:
    """Sum the ledger again for each company-zone day from `first` to `last`: one grouped read
    per stretch of days with one UTC offset (split at the zone's clock changes)."""
    tz = company_tz()
    if first > last:
        return 0
    if not _same_offset(first, last, tz):
        middle = first + (last - first) / 2
        return refresh_points_days(first, middle) + refresh_points_days(
            middle + timedelta(days=1), last
        )
    start, _ = _day_bounds(first, tz)
    _, end = _day_bounds(last, tz)
    day = _local_date(datetime.combine(first, time(12), tz).utcoffset() or timedelta())
    db.session.execute(delete(PointsDaily).where(PointsDaily.day >= first, PointsDaily.day <= last))
    sums = db.session.execute(
        select(
            day,
            PointEntry.kind,
            PointEntry.department_id,
            func.sum(PointEntry.amount),
            func.count(PointEntry.id),
        )
        .where(PointEntry.created_at >= start, PointEntry.created_at < end)
        .group_by(day, PointEntry.kind, PointEntry.department_id)
    ).all()
    rows = [
        {
            "day": d if isinstance(d, date) else date.fromisoformat(d),
            "kind": k,
            "department_id": dep,
            "total": t,
            "entries": n,
        }
        for d, k, dep, t, n in sums
    ]
    for low in range(0, len(rows), 5000):
        db.session.execute(insert(PointsDaily), rows[low : low + 5000])
    return (last - first).days + 1


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) stretches."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _catch_up_points() -> int:
    mark = _mark(POINTS)
    newest = db.session.scalar(select(func.max(PointEntry.id))) or 0
    since = max(mark.last_id - LOOKBACK, 0)
    if newest <= since:
        return 0
    tz = company_tz()
    days: set[date] = set()
    # per 100k ids: the days their entries fall on (backdated entries may lie anywhere)
    for low in range(since, newest, 100_000):
        span = db.session.execute(
            select(func.min(PointEntry.created_at), func.max(PointEntry.created_at)).where(
                PointEntry.id > low, PointEntry.id <= min(low + 100_000, newest)
            )
        ).one()
        if span[0] is None:
            continue
        day, last = _local_day(span[0], tz), _local_day(span[1], tz)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    for first, last in _runs(sorted(days)):
        refresh_points_days(first, last)
    fresh = newest - mark.last_id if newest > mark.last_id else 0
    mark.last_id = max(newest, mark.last_id)
    return fresh


# The duty, the rebuild, the command ------------------------------------------------------


def run(now: datetime) -> int:
    """Bring every rollup up to date; returns the new source rows read (events and ledger
    entries). The caller commits (the worker, or `rebuild`)."""
    done = _catch_up_events() + _catch_up_jobs() + _catch_up_points()
    _mark(MARK).as_of = now
    return done


def rebuild() -> int:
    """Empty the rollups and their marks and compute them again from the source tables."""
    db.session.execute(delete(ReferralFacts))
    db.session.execute(delete(PointsDaily))
    db.session.execute(delete(RollupMark))
    done = run(utcnow())
    db.session.commit()
    return done


group = AppGroup("analytics", help="The analytics rollups (docs/architecture.md, Caches).")


@group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the analytics rollups from the source tables (for recovery)."""
    done = rebuild()
    click.echo(f"analytics: rollups rebuilt from {done} source rows")


def register(app: Flask | None = None) -> None:
    """Register the worker duty that keeps the rollups current (and the rebuild command)."""
    if app is not None:
        app.cli.add_command(group)
    duties.register(
        duties.Duty(
            "analytics.rollup",
            run,
            "bring the analytics rollups (referral facts, points per day) up to date from "
            "their watermarks",
        )
    )
