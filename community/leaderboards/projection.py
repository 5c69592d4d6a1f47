"""Projecting the ledger onto the boards: entries are queued with their ledger row and applied
to Redis once the commit stands.

Each ledger entry gets an outbox row (`PendingProjection`) in its own transaction (the
`PointsRecorded` listener). After the commit, pending entries are applied with the APPLY script,
which first flips the entry's bit in the `applied` bitmap, so an entry applied twice (two
workers, a retry) counts once; then the outbox rows are deleted. Anything left pending (Redis
down) is applied on the next points write, by `flask leaderboards sync`, and at start-up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from community.extensions import db
from community.leaderboards import connection, keys, scripts
from community.leaderboards.kinds import Placement, placements
from community.leaderboards.models import PendingProjection
from community.leaderboards.periods import expires_at
from community.leaderboards.scores import MAX_POINTS, TS_SCALE, to_ts
from community.leaderboards.visibility import hidden_user_ids
from community.points.models import SCORE_KINDS, PointEntry

logger = logging.getLogger(__name__)

SYNC_BATCH = 500


def apply_args(entry: PointEntry, places: list[Placement]) -> tuple[list[str], list[str | int]]:
    """The APPLY script's keys and arguments for one entry written to `places`."""
    redis_keys = [keys.applied_key()]
    for place in places:
        redis_keys += [place.board.key, place.board.hidden_key]
    redis_keys.append(keys.built_key())
    args: list[str | int] = [
        entry.id,
        to_ts(entry.created_at),
        str(entry.user_id),
        TS_SCALE,
        MAX_POINTS,
    ]
    for place in places:
        args += [expires_at(place.board.period) or 0, place.amount, 1 if place.hidden else 0]
    return redis_keys, args


@dataclass(frozen=True)
class Applied:
    """What `apply_pending` did: how many entries it applied, and whether Redis refused some
    because the boards were lost (they stay pending; see `recovery`)."""

    count: int
    lost: bool


def apply_pending(limit: int | None = None, force: bool = False) -> Applied:
    """Apply pending ledger entries to Redis, oldest first, in batches of SYNC_BATCH.

    Uses its own database session, so it can run right after the caller's commit. Stops quietly
    (logging a warning) when Redis is unreachable, and at the first batch Redis refuses for
    lost boards: the entries stay pending.
    """
    applied = 0
    with Session(db.engine) as session:
        while limit is None or applied < limit:
            batch = SYNC_BATCH if limit is None else min(SYNC_BATCH, limit - applied)
            ids = list(
                session.scalars(
                    select(PendingProjection.entry_id)
                    .order_by(PendingProjection.entry_id)
                    .limit(batch)
                )
            )
            if not ids:
                break
            entries = list(session.scalars(select(PointEntry).where(PointEntry.id.in_(ids))))
            hidden = hidden_user_ids(session, {e.user_id for e in entries})
            scored = [entry for entry in entries if entry.kind in SCORE_KINDS]
            places = placements(session, scored, hidden)
            try:
                client = connection.client(force)
                script = client.register_script(scripts.APPLY)
                pipe = client.pipeline(transaction=False)
                for entry in scored:
                    redis_keys, args = apply_args(entry, places[entry.id])
                    script(keys=redis_keys, args=args, client=pipe)
                results = pipe.execute()
            except redis.exceptions.RedisError as exc:
                connection.trip(exc)
                logger.warning("leaderboards: %s entries stay pending (%s)", len(ids), exc)
                break
            refused = {
                entry.id for entry, result in zip(scored, results, strict=True) if result == -1
            }
            done = [entry_id for entry_id in ids if entry_id not in refused]
            if done:
                session.execute(
                    delete(PendingProjection).where(PendingProjection.entry_id.in_(done))
                )
                session.commit()
                applied += len(done)
            if refused:
                return Applied(applied, lost=True)
    return Applied(applied, lost=False)


def queue(entry_id: int) -> None:
    """Queue a ledger entry for the boards, in the transaction that writes it."""
    db.session.add(PendingProjection(entry_id=entry_id))
    db.session.flush()


def pending_count() -> int:
    """How many ledger entries are not on the boards yet."""
    return int(db.session.scalar(select(func.count()).select_from(PendingProjection)) or 0)


def projected_before(session: Session) -> bool:
    """Whether any score entry of the ledger has been projected (is no longer pending)."""
    pending = select(PendingProjection.entry_id).where(PendingProjection.entry_id == PointEntry.id)
    projected = select(PointEntry.id).where(PointEntry.kind.in_(SCORE_KINDS), ~pending.exists())
    return session.scalar(projected.limit(1)) is not None


def projected_count(session: Session) -> int:
    """How many score entries of the ledger are on the boards by its own account (not pending):
    the number of bits the `applied` bitmap holds when Redis is current."""
    pending = select(func.count()).select_from(
        PendingProjection.__table__.join(
            PointEntry.__table__, PendingProjection.entry_id == PointEntry.id
        )
    )
    scored = select(func.count()).select_from(PointEntry).where(PointEntry.kind.in_(SCORE_KINDS))
    return int(session.scalar(scored) or 0) - int(
        session.scalar(pending.where(PointEntry.kind.in_(SCORE_KINDS))) or 0
    )
