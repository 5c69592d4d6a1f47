"""The leaderboards listen: a ledger entry is queued for the boards in its own transaction and
projected once the commit stands; a person shown or hidden anew is moved on every board."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask
from sqlalchemy import inspect as sa_inspect

from community import events
from community.core.transaction import after_commit
from community.extensions import db
from community.leaderboards import projection, recovery, visibility
from community.leaderboards.models import PendingProjection
from community.worker import duties

logger = logging.getLogger(__name__)


def points_recorded(event: events.PointsRecorded) -> None:
    projection.queue(event.entry_id)
    after_commit("leaderboards:project", project_after_commit)


def project_after_commit() -> None:
    """Apply what is pending (this transaction's entries, and any left over from a Redis
    outage) now that the entries are committed. Never fails the request over the projection."""
    try:
        recovery.sync_pending(limit=projection.SYNC_BATCH)
    except Exception:
        logger.exception("leaderboards: projecting after a commit failed; entries stay pending")


def sync_at_start(app: Flask) -> None:
    """When a process starts: apply entries left pending (Redis was down), then make sure the
    boards are current — a Redis restored behind the ledger, or holding another database's
    boards, is rebuilt at once with one log line (`recovery.ensure_current`)."""
    with app.app_context():
        try:
            if not sa_inspect(db.engine).has_table(PendingProjection.__tablename__):
                return  # not migrated yet (e.g. during `flask db upgrade`): nothing to apply
            applied = recovery.sync_pending(force=True, recover=False)
            if applied:
                logger.info("leaderboards: applied %s pending entries at start-up", applied)
            recovery.ensure_current()
        except Exception as exc:  # e.g. the database is not migrated yet
            logger.warning("leaderboards: start-up sync skipped (%s)", str(exc).splitlines()[0])
        finally:
            db.session.remove()


def apply_pending_duty(now: datetime) -> int:
    """The worker's minute: entries left pending by a Redis outage reach the boards within a
    minute of Redis coming back, with no write or command needed (lost boards are rebuilt)."""
    return recovery.sync_pending(force=True, at_once=True)


def init_app(app: Flask) -> None:
    duties.register(
        duties.Duty(
            "leaderboards.apply-pending",
            apply_pending_duty,
            "apply ledger entries the boards missed (Redis was down); rebuild lost boards",
        )
    )
    events.subscribe(events.PointsRecorded, points_recorded)
    events.subscribe(events.PersonChanged, visibility.person_changed)
    if app.config.get("LEADERBOARD_SYNC_ON_START", True):
        sync_at_start(app)
