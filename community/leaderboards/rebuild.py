"""`rebuild`: every live board recreated from the ledger, staged and swapped in at once.

Live boards are all time and the current week, month, quarter and year, per company and
department (and the periods of the kinds rooms added): the only boards any page reads. The
ledger is grouped once into a temporary table (per person and department, per period the sum
and the newest entry's time, and the hidden flag), the database packs each board's members into
strings, and a loader thread feeds them to Redis while the database works on the next. Entries
committed while it runs are applied afterwards, exactly once.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis
from sqlalchemy import (
    BigInteger,
    Select,
    String,
    and_,
    case,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlalchemy.sql.expression import Executable, TableClause

from community.accounts.models import User
from community.extensions import db
from community.leaderboards import connection, keys, scripts
from community.leaderboards.kinds import COMPANY, department_scope
from community.leaderboards.ledger import (
    Ledger,
    added_kind_boards,
    epoch_seconds,
    score_entries,
    snapshot,
)
from community.leaderboards.models import PendingProjection
from community.leaderboards.periods import Period, live_periods
from community.leaderboards.projection import apply_pending
from community.leaderboards.scores import EPOCH_UNIX, MAX_POINTS, MAX_TS, TS_SCALE
from community.leaderboards.visibility import hidden_conditions
from community.points.models import SCORE_KINDS, PointEntry

logger = logging.getLogger(__name__)

STAGING_TTL = 3600
ZADD_CHUNK = 10_000  # members per load script (and rows per fetch)
PIPELINE_COMMANDS = 20  # load scripts per round trip
# The temporary table the ledger is grouped into, once for every live period: one row per
# person and department (0 = none) with `hidden`, then per period i `points_i` (NULL when the
# person has no entry in the period) and `seconds_i` (unix time of their last entry in it).
_GROUPED = "leaderboard_rebuild"


@dataclass(frozen=True)
class Rebuilt:
    """What `rebuild` wrote: boards (public and hidden sets), members over all of them, and the
    ledger entries they were computed from."""

    boards: int
    members: int
    entries: int


class _CreateTemporaryAs(Executable, ClauseElement):
    """CREATE TEMPORARY TABLE … AS query; PostgreSQL drops it when the transaction ends."""

    inherit_cache = False

    def __init__(self, name: str, query: Select[Any]) -> None:
        self.name = name
        self.query = query


@compiles(_CreateTemporaryAs)
def _compile_create_temporary_as(
    element: _CreateTemporaryAs, compiler: SQLCompiler, **kw: Any
) -> str:
    on_commit = " ON COMMIT DROP" if compiler.dialect.name == "postgresql" else ""
    query = compiler.process(element.query, **kw)
    return f"CREATE TEMPORARY TABLE {element.name}{on_commit} AS {query}"


@contextmanager
def _grouped_ledger(ledger: Ledger, periods: list[Period]) -> Iterator[TableClause]:
    """Group the snapshot's score entries once, per person and department, into a temporary
    table holding every period's sum and last time (conditional aggregates): one scan of the
    ledger instead of two GROUP BYs per period. Dropped on the way out (SQLite keeps temporary
    tables for the life of the pooled connection; PostgreSQL drops it at commit)."""
    conn = ledger.conn
    sqlite = conn.dialect.name == "sqlite"
    department = func.coalesce(PointEntry.department_id, literal_column("0"))
    columns: list[ColumnElement[Any]] = [
        PointEntry.user_id.label("user_id"),
        department.label("department_id"),
    ]
    for i, period in enumerate(periods):
        amount: ColumnElement[Any] = PointEntry.amount
        moment: ColumnElement[Any] = PointEntry.created_at
        if period.start is not None:
            inside = and_(PointEntry.created_at >= period.start, PointEntry.created_at < period.end)
            amount, moment = case((inside, amount)), case((inside, moment))
        columns += [
            cast(func.sum(amount), BigInteger).label(f"points_{i}"),
            cast(epoch_seconds(conn, func.max(moment)), BigInteger).label(f"seconds_{i}"),
        ]
    query = (
        select(*columns)
        .where(*score_entries(ledger.last_id))
        # Department first: SQLite then sorts one scan of the table instead of walking the
        # user_id index with a random table read per entry.
        .group_by(department, PointEntry.user_id)
    )
    hidden = or_(*hidden_conditions())
    one, zero = literal_column("1"), literal_column("0")
    if sqlite:  # one lookup per row in a temporary index of the hidden people's ids
        hidden_ids = select(User.id).where(hidden)
        query = query.add_columns(
            case((PointEntry.user_id.in_(hidden_ids), one), else_=zero).label("hidden")
        )
    else:
        # Joined after grouping: PostgreSQL may plan `IN (subquery)` in a select list as a scan
        # of the subquery's rows for every row (over a minute at a million entries).
        per_person = query.subquery()
        query = select(per_person, case((hidden, one), else_=zero).label("hidden")).select_from(
            per_person.outerjoin(User, User.id == per_person.c.user_id)
        )
    if sqlite:  # left over on this pooled connection by a rebuild that failed half-way
        conn.execute(text(f"DROP TABLE IF EXISTS temp.{_GROUPED}"))
    conn.execute(_CreateTemporaryAs(_GROUPED, query))
    try:
        yield table(_GROUPED, *(column(c.name) for c in query.selected_columns))
    finally:
        if sqlite:
            conn.execute(text(f"DROP TABLE IF EXISTS temp.{_GROUPED}"))


def _period_packed(
    ledger: Ledger, grouped: TableClause, index: int, period: Period
) -> Iterator[tuple[str, int, str]]:
    """The boards of the `index`-th period for `rebuild`, read from the grouped ledger and
    encoded by the database: (key, number of members, "score member score member …") in chunks
    of at most ZADD_CHUNK members per key. The same sums, tie-break times and hidden split as
    `_period_boards` (which `verify` uses), but no row ever reaches Python: a board of a million
    people costs a few strings."""
    conn = ledger.conn
    postgres = conn.dialect.name == "postgresql"
    user_id, department_id, hidden = grouped.c.user_id, grouped.c.department_id, grouped.c.hidden
    points, seconds = grouped.c[f"points_{index}"], grouped.c[f"seconds_{index}"]
    present = points.is_not(None)  # has entries in the period (their sum may be 0)
    per_scope = [
        # The company board adds up a person's departments (and entries without one).
        select(
            user_id,
            literal_column("0").label("department_id"),
            hidden,
            cast(func.sum(points), BigInteger).label("points"),
            func.max(seconds).label("seconds"),
        )
        .where(present)
        .group_by(user_id, hidden),
        select(
            user_id, department_id, hidden, points.label("points"), seconds.label("seconds")
        ).where(present, department_id != 0),
    ]
    for inner in (q.subquery() for q in per_scope):
        ts = inner.c.seconds - EPOCH_UNIX
        ts = (
            func.greatest(0, func.least(MAX_TS, ts))
            if postgres
            else func.max(0, func.min(MAX_TS, ts))
        )
        score = inner.c.points * literal_column(str(TS_SCALE)) + (MAX_TS - ts)
        pair = cast(score, String) + " " + cast(inner.c.user_id, String)
        packed = func.string_agg(pair, " ") if postgres else func.group_concat(pair, " ")
        query = select(
            inner.c.department_id,
            inner.c.hidden,
            func.count(),
            func.max(func.abs(inner.c.points)),
            packed,
        ).group_by(inner.c.department_id, inner.c.hidden, inner.c.user_id // ZADD_CHUNK)
        with conn.execute(query) as result:
            for department, is_hidden, size, largest, chunk in result:
                if largest >= MAX_POINTS:
                    raise OverflowError(f"{largest} points cannot be ranked exactly")
                scope = department_scope(department) if department else COMPANY
                board = keys.Board(scope, period.name)
                yield (board.hidden_key if is_hidden else board.key), int(size), chunk


def _score_bitmap(ledger: Ledger) -> bytearray:
    """The `applied` bitmap for every score entry in the snapshot, one byte per row from the
    database (the bits of a byte are distinct ids, so their sum is their OR)."""
    bitmap = bytearray(ledger.last_id // 8 + 1 if ledger.count else 0)
    byte = PointEntry.id // 8
    rows = ledger.conn.execute(
        select(byte, func.sum(literal_column("128").op(">>")(PointEntry.id % 8)))
        .where(*score_entries(ledger.last_id))
        .group_by(byte)
    )
    for index, bits in rows:
        bitmap[int(index)] = int(bits)
    return bitmap


def rebuild() -> Rebuilt:
    """Recreate the live boards from the ledger: build under staging keys, then swap them in at
    once. Live means all time and the current week, month, quarter and year, per company and
    department: the only boards any page reads. Every other board key (past periods' boards,
    which the projection wrote while they were current and which would otherwise expire) is
    deleted in the same swap.

    Entries committed while it runs are applied afterwards (they are requeued), exactly once.
    """
    client = connection.client(force=True)
    periods = live_periods()
    token = secrets.token_hex(4)
    built: dict[str, tuple[str, int | None]] = {}  # board key → (staging key, expire-at)
    members = 0
    loader = _Loader(client)  # Redis loads one batch while the database computes the next

    def stage(key: str, size: int, packed: str, period: Period) -> None:
        nonlocal members
        if key not in built:
            built[key] = (keys.staging_key(token, str(len(built))), period.expires)
        members += size
        loader.add(built[key][0], packed)

    try:
        with snapshot() as ledger, _grouped_ledger(ledger, periods) as grouped:
            for index, period in enumerate(periods):
                for key, size, packed in _period_packed(ledger, grouped, index, period):
                    stage(key, size, packed, period)
                for key, rows in added_kind_boards(ledger, period).items():
                    for start in range(0, len(rows), ZADD_CHUNK):
                        chunk = rows[start : start + ZADD_CHUNK]
                        packed = " ".join(f"{score} {member}" for member, score in chunk)
                        stage(key, len(chunk), packed, period)
            bitmap = _score_bitmap(ledger)
            last_id, count = ledger.last_id, ledger.count
    finally:
        loader.finish()
    staged_bitmap = keys.staging_key(token, "applied")
    if bitmap:
        client.set(staged_bitmap, bytes(bitmap), ex=STAGING_TTL)

    # Swap only whole staging: were Redis flushed or restarted meanwhile, some RENAMEs would fail
    # in the MULTI while the rest (the built marker too) went through.
    staged = [temp for temp, _ in built.values()] + ([staged_bitmap] if bitmap else [])
    swap = client.pipeline(transaction=True)
    if staged:
        swap.watch(*staged)
        if swap.exists(*staged) != len(staged):
            swap.reset()
            raise redis.exceptions.WatchError("the staged boards went away: rebuild again")
    stale = keys.live_keys(client) - set(built)
    swap.multi()
    if stale:
        swap.unlink(*stale)
    for key, (temp, expires) in built.items():
        swap.unlink(key)  # freed in the background, not while the swap holds Redis
        swap.rename(temp, key)  # (RENAME keeps the staging TTL: replace it)
        if expires:
            swap.expireat(key, expires)
        else:
            swap.persist(key)
    swap.unlink(keys.applied_key())
    swap.set(keys.built_key(), str(count))
    if bitmap:
        swap.rename(staged_bitmap, keys.applied_key())
        swap.persist(keys.applied_key())
    swap.execute()
    logger.debug(
        "leaderboards rebuilt: %s boards, %s members from %s entries", len(built), members, count
    )
    # Entries written while rebuilding are not in the new bitmap: apply them now.
    _requeue_unapplied(last_id, count, bitmap)
    connection.reset_breaker()
    apply_pending(force=True)
    return Rebuilt(boards=len(built), members=members, entries=count)


class _Loader:
    """Runs the `scripts.LOAD` scripts on a thread of its own, PIPELINE_COMMANDS per round trip, so that
    Redis and the database work at the same time. `finish` waits and re-raises a Redis error."""

    def __init__(self, client: redis.Redis) -> None:
        self.script = client.register_script(scripts.LOAD)
        self.client = client
        self.queue: queue.Queue[list[tuple[str, str]] | None] = queue.Queue(maxsize=4)
        self.batch: list[tuple[str, str]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="leaderboards-rebuild", daemon=True)
        self.thread.start()

    def add(self, key: str, packed: str) -> None:
        if self.error is not None:
            raise self.error
        self.batch.append((key, packed))
        if len(self.batch) >= PIPELINE_COMMANDS:
            self.queue.put(self.batch)
            self.batch = []

    def finish(self) -> None:
        if self.batch:
            self.queue.put(self.batch)
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain
            try:
                pipe = self.client.pipeline(transaction=False)
                for key, packed in batch:
                    self.script(keys=[key], args=[packed, STAGING_TTL], client=pipe)
                pipe.execute()
            except BaseException as exc:  # handed to the rebuilding thread
                self.error = exc


def _requeue_unapplied(last_id: int, count: int, bitmap: bytearray) -> None:
    """Queue every entry the rebuilt boards do not hold: newer than the snapshot, or (PostgreSQL)
    an older id that committed after it."""
    with Session(db.engine) as session:
        missing = set(session.scalars(select(PointEntry.id).where(PointEntry.id > last_id)))
        score_ids = PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= last_id
        now = session.scalar(select(func.count()).select_from(PointEntry).where(*score_ids))
        if now != count:
            for entry_id in session.scalars(select(PointEntry.id).where(*score_ids)):
                if not bitmap[entry_id >> 3] & (0x80 >> (entry_id & 7)):
                    missing.add(entry_id)
        if not missing:
            return
        queued = set(
            session.scalars(
                select(PendingProjection.entry_id).where(
                    PendingProjection.entry_id.in_(list(missing))
                )
            )
        )
        session.add_all(PendingProjection(entry_id=i) for i in sorted(missing - queued))
        session.commit()
