"""Redis leaderboards: a projection of the points ledger, rebuilt and verified from it.

Encoding (exact, no float loss): a member's sorted-set score is

    points * 2**31 + (MAX_TS - ts)

where `ts` is the last time the member's points on that board changed, in seconds since
2020-01-01 UTC (fits in 31 bits until 2088). Higher points rank first; on equal points the smaller
`ts` (who reached the score first) has the larger remainder and ranks higher. A Redis score is a
double, exact for integers below 2**53, so |points| must stay below 2**22 (4,194,304) per board;
the apply script refuses anything larger rather than round. `ts` only moves forward (max of the old
and the entry's time), so applying entries in any order gives the same value as a rebuild.

Bookkeeping: each ledger entry gets an outbox row (`PendingProjection`) in its own transaction.
After commit, pending entries are applied with a Lua script that first flips the entry's bit in
the `applied` bitmap, so applying an entry twice (two workers, a retry) counts it once; then the
outbox rows are deleted. Anything left pending (Redis down) is applied on the next points write,
by `flask leaderboards sync`, and at start-up.

Lost boards: a Redis that comes back empty (restarted without persistence, flushed) would
otherwise take new entries onto empty boards and rank people by them alone. `rebuild` sets a
`built` marker with the boards, and the apply script refuses to write while it is missing. Reads
see it missing too. Whoever finds it missing (a write, a read, `sync`) sets it when nothing had
been projected yet (a new install), and otherwise rebuilds every board from the ledger under a
lock: a command at once, a request in a background thread, reads answering UNAVAILABLE meanwhile.

Exclusions: people who are not shown (deactivated, opted out, HR staff when
LEADERBOARD_EXCLUDE_HR) are kept in a sibling `hidden` sorted set of each board instead of the
public one, so `top` and ranks are plain O(log N) Redis reads and the hidden person can still be
told privately where they would stand (`rank_of`).
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import redis
from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    column,
    delete,
    event,
    extract,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlalchemy.sql.expression import Executable, TableClause

from community.accounts.models import Role, User
from community.core.time import company_tz
from community.extensions import db, redis_store
from community.points import keys
from community.points.models import SCORE_KINDS, PendingProjection, PointEntry
from community.points.services import SESSION_PENDING

logger = logging.getLogger(__name__)

TS_BITS = 31
TS_SCALE = 2**TS_BITS
MAX_TS = TS_SCALE - 1
MAX_POINTS = 2 ** (53 - TS_BITS)  # exclusive bound on |points| per board
TS_EPOCH = datetime(2020, 1, 1)
SYNC_BATCH = 500
STAGING_TTL = 3600
# After Redis fails, this process leaves it alone for a few seconds instead of waiting on it again.
_breaker = {"down_until": 0.0}

# KEYS: applied bitmap, then (public, hidden) per board, then the built marker and the boards'
# version (bumped, so that cached page fragments are never served stale). ARGV: entry id, amount,
# ts, hidden (1/0), member, then one expire-at per board (0 = never). Checks everything before
# writing anything; returns 1 when applied, 0 when applied before, -1 without the built marker.
_APPLY = """
if redis.call('EXISTS', KEYS[#KEYS - 1]) == 0 then return -1 end
if redis.call('GETBIT', KEYS[1], ARGV[1]) == 1 then return 0 end
local amount = tonumber(ARGV[2])
local ts = tonumber(ARGV[3])
local hidden = ARGV[4] == '1'
local member = ARGV[5]
local scale = tonumber(ARGV[6])
local maxts = scale - 1
local limit = tonumber(ARGV[7])
local n = (#KEYS - 3) / 2
local writes = {}
for i = 1, n do
  local public, secret = KEYS[2 * i], KEYS[2 * i + 1]
  local target, other = public, secret
  if hidden then target, other = secret, public end
  local old = redis.call('ZSCORE', target, member) or redis.call('ZSCORE', other, member)
  local points, last = 0, 0
  if old then
    local c = tonumber(old)
    points = math.floor(c / scale)
    last = maxts - (c - points * scale)
  end
  points = points + amount
  if ts > last then last = ts end
  if points >= limit or points <= -limit then
    return redis.error_reply('leaderboard points out of exact range')
  end
  writes[i] = {target, other, string.format('%.0f', points * scale + (maxts - last))}
end
redis.call('SETBIT', KEYS[1], ARGV[1], 1)
for i = 1, n do
  local w = writes[i]
  redis.call('ZREM', w[2], member)
  redis.call('ZADD', w[1], w[3], member)
  local exp = tonumber(ARGV[7 + i])
  if exp > 0 then redis.call('EXPIREAT', w[1], exp) end
end
redis.call('INCR', KEYS[#KEYS])
return 1
"""

# KEYS: (from, to) pairs, then the boards' version. ARGV: member. Moves the member between a
# board's public and hidden set.
_MOVE = """
local moved = 0
for i = 1, #KEYS - 1, 2 do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if score then
    redis.call('ZADD', KEYS[i + 1], score, ARGV[1])
    redis.call('ZREM', KEYS[i], ARGV[1])
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[i + 1], ttl) end
    moved = moved + 1
  end
end
if moved > 0 then redis.call('INCR', KEYS[#KEYS]) end
return moved
"""


# standing(public key, hidden key, member, around): false when the member is on neither side,
# else {index among the people shown, score, private (1/0), above, below} where above/below are
# flat member, score lists. A hidden person's index counts the people shown who rank strictly
# higher. Scores pass through as strings, exact below 2**53.
_STANDING_FUNCTION = """
local function standing(public, hidden, member, around)
  local index = redis.call('ZREVRANK', public, member)
  local score, private, first_below
  if index then
    score = redis.call('ZSCORE', public, member)
    private, first_below = 0, index + 1
  else
    score = redis.call('ZSCORE', hidden, member)
    if not score then return false end
    index = redis.call('ZCOUNT', public, '(' .. score, '+inf')
    private, first_below = 1, index
  end
  local above, below = {}, {}
  if around > 0 and index > 0 then
    local from = index - around
    if from < 0 then from = 0 end
    above = redis.call('ZREVRANGE', public, from, index - 1, 'WITHSCORES')
  end
  if around > 0 then
    below = redis.call('ZREVRANGE', public, first_below, first_below + around - 1, 'WITHSCORES')
  end
  return {index, score, private, above, below}
end
"""

# Every read script starts with this: -1 (not whole) when the built marker, its last key, is
# missing (see "Lost boards").
_WHOLE = "if redis.call('EXISTS', KEYS[#KEYS]) == 0 then return -1 end\n"
NOT_WHOLE = -1

# KEYS: public, hidden set of a board, the built marker. ARGV: member, around.
_STANDING = (
    _WHOLE + _STANDING_FUNCTION + "return standing(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))"
)

# KEYS: a board's public set, the built marker. ARGV: how many.
_TOP = _WHOLE + "return redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')"


class RedisUnavailable(redis.exceptions.ConnectionError):
    """Redis failed moments ago; not tried again yet."""


def _script(source: str) -> Any:
    """The Lua script `source`, to run on the current client (raises when Redis is down)."""
    return _client().register_script(source)


def _client(force: bool = False) -> redis.Redis:
    """The Redis client, unless it failed within LEADERBOARD_REDIS_BACKOFF_SECONDS (`force`
    tries anyway: the CLI and rebuild)."""
    if not force and time.monotonic() < _breaker["down_until"]:
        raise RedisUnavailable("Redis failed recently")
    return redis_store.client


def _trip(exc: Exception) -> None:
    if not isinstance(exc, RedisUnavailable):
        backoff = float(current_app.config.get("LEADERBOARD_REDIS_BACKOFF_SECONDS", 5))
        _breaker["down_until"] = time.monotonic() + backoff


def reset_breaker() -> None:
    """Try Redis again on the next call (tests, and after an operator restarted it)."""
    _breaker["down_until"] = 0.0


# Encoding ------------------------------------------------------------------------------------


def encode(points: int, ts: int) -> int:
    """The sorted-set score for `points` last changed at `ts` (seconds since TS_EPOCH)."""
    if not -MAX_POINTS < points < MAX_POINTS:
        raise OverflowError(f"{points} points cannot be ranked exactly")
    return points * TS_SCALE + (MAX_TS - ts)


def decode(score: float | int) -> tuple[int, int]:
    """(points, ts) from a sorted-set score."""
    composite = int(score)
    points = composite // TS_SCALE
    return points, MAX_TS - (composite - points * TS_SCALE)


def to_ts(moment: datetime) -> int:
    """Seconds since TS_EPOCH for a naive-UTC datetime, clamped to what the encoding holds."""
    return max(0, min(MAX_TS, int((moment - TS_EPOCH).total_seconds())))


def from_ts(ts: int) -> datetime:
    return datetime.fromtimestamp(TS_EPOCH.replace(tzinfo=UTC).timestamp() + ts, UTC).replace(
        tzinfo=None
    )


# Who is shown --------------------------------------------------------------------------------


def is_hidden(user: User) -> bool:
    """Not shown on public boards: deactivated, opted out, or HR staff (when configured)."""
    return (
        not user.is_active_account
        or bool(user.leaderboard_opt_out)
        or (bool(current_app.config.get("LEADERBOARD_EXCLUDE_HR", True)) and user.role == Role.HR)
    )


def _hidden_conditions() -> list[ColumnElement[bool]]:
    """The SQL form of `is_hidden`."""
    hidden = [User.is_active_account.is_(False), User.leaderboard_opt_out.is_(True)]
    if current_app.config.get("LEADERBOARD_EXCLUDE_HR", True):
        hidden.append(User.role == Role.HR)
    return hidden


def _hidden_user_ids(
    session: Session | Connection, user_ids: Iterable[int] | None = None
) -> set[int]:
    """Ids of the people `is_hidden` is true for, as one column query (fast for a rebuild)."""
    query = select(User.id).where(or_(*_hidden_conditions()))
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    return set(session.scalars(query))


# Projection ----------------------------------------------------------------------------------


def _apply_args(entry: PointEntry, hidden: bool) -> tuple[list[str], list[str | int]]:
    boards = keys.boards_for_entry(entry.department_id, entry.created_at)
    redis_keys = [keys.applied_key()]
    for board in boards:
        redis_keys += [board.key, board.hidden_key]
    args: list[str | int] = [
        entry.id,
        entry.amount,
        to_ts(entry.created_at),
        1 if hidden else 0,
        str(entry.user_id),
        TS_SCALE,
        MAX_POINTS,
    ]
    args += [keys.expires_at(board.period) or 0 for board in boards]
    redis_keys += [keys.built_key(), keys.version_key()]
    return redis_keys, args


def sync_pending(
    limit: int | None = None, force: bool = False, recover: bool = True, at_once: bool = False
) -> int:
    """Apply pending ledger entries to Redis; returns how many were applied.

    Uses its own database session, so it can run right after the caller's commit. Stops quietly
    (logging a warning) when Redis is unreachable: the entries stay pending. When Redis lost the
    boards (see the module's docstring), `recover`s them: `at_once` (the CLI) or in the
    background, the entries staying pending for the rebuild to apply.
    """
    applied = 0
    recovered = not recover
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
            hidden = _hidden_user_ids(session, {e.user_id for e in entries})
            scored = [entry for entry in entries if entry.kind in SCORE_KINDS]
            try:
                client = _client(force)
                script = client.register_script(_APPLY)
                pipe = client.pipeline(transaction=False)
                for entry in scored:
                    redis_keys, args = _apply_args(entry, entry.user_id in hidden)
                    script(keys=redis_keys, args=args, client=pipe)
                results = pipe.execute()
            except redis.exceptions.RedisError as exc:
                _trip(exc)
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
                if recovered or ensure_whole(at_once) not in ("whole", "rebuilt"):
                    break  # the entries stay pending: the rebuild applies them
                recovered = True
    return applied


# Lost boards ---------------------------------------------------------------------------------

RECOVERY_LOCK_SECONDS = 120  # longer than a rebuild of a million entries; a second one is harmless
RECOVERY_RETRY_SECONDS = 15  # after a failed rebuild, before anyone tries again
_recovery: dict[str, threading.Thread | None] = {"thread": None}

# KEYS: the lock. ARGV: the token that took it. Deletes the lock only if it is still ours.
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _projected_before(session: Session) -> bool:
    """Whether any score entry of the ledger has been projected (is no longer pending)."""
    pending = select(PendingProjection.entry_id).where(PendingProjection.entry_id == PointEntry.id)
    projected = select(PointEntry.id).where(PointEntry.kind.in_(SCORE_KINDS), ~pending.exists())
    return session.scalar(projected.limit(1)) is not None


def ensure_whole(at_once: bool = False) -> str:
    """Make sure the boards are whole (see "Lost boards"). Returns "whole" (the built marker is
    there, or nothing was ever projected and it is set now: a new install), "rebuilt" (Redis had
    lost the boards; rebuilt from the ledger), "rebuilding" (by a background thread of this
    process, or by another process), "failed" (the rebuild failed; tried again shortly) or
    "unreachable". Rebuilds `at_once` when asked (the CLI) or outside a request (any command);
    otherwise in a background thread. Never raises."""
    try:
        client = _client(force=at_once)
        built, locked = client.mget(keys.built_key(), keys.recovery_lock_key())
        if built:
            return "whole"
        if locked:  # readers while a rebuild runs: no query of the ledger
            return "rebuilding"
        with Session(db.engine) as session:
            if not _projected_before(session):
                client.set(keys.built_key(), "new", nx=True)
                return "whole"
        token = secrets.token_hex(8)
        if not client.set(keys.recovery_lock_key(), token, nx=True, ex=RECOVERY_LOCK_SECONDS):
            return "whole" if client.exists(keys.built_key()) else "rebuilding"
        logger.warning("leaderboards: Redis lost the boards; rebuilding them from the ledger")
        if at_once or not has_request_context():
            return "rebuilt" if _rebuild_and_unlock(client, token) else "failed"
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def run() -> None:
            with app.app_context():
                _rebuild_and_unlock(client, token)

        thread = threading.Thread(target=run, name="leaderboards-recovery", daemon=True)
        _recovery["thread"] = thread
        thread.start()
        return "rebuilding"
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards: could not check the boards are whole (%s)", exc)
        return "unreachable"
    except Exception:  # e.g. the database: the page says the board is away, nothing fails
        logger.exception("leaderboards: could not check the boards are whole")
        return "failed"


def _rebuild_and_unlock(client: redis.Redis, token: str) -> bool:
    """Rebuild under the lock `token` took; release it when done. After a failure the lock is
    kept for RECOVERY_RETRY_SECONDS, so readers do not start one rebuild after another."""
    try:
        rebuild()
    except Exception:  # the entries stay pending; tried again once the lock expires
        logger.exception("leaderboards: rebuilding lost boards failed")
        with suppress(redis.exceptions.RedisError):  # (the lock expires anyway)
            client.expire(keys.recovery_lock_key(), RECOVERY_RETRY_SECONDS)
        return False
    with suppress(redis.exceptions.RedisError):  # (the lock expires anyway)
        client.eval(_UNLOCK, 1, keys.recovery_lock_key(), token)
    return True


def wait_for_recovery(timeout: float | None = None) -> None:
    """Wait for a background rebuild of lost boards started by this process (tests)."""
    thread = _recovery["thread"]
    if thread is not None:
        thread.join(timeout)


def pending_count() -> int:
    """How many ledger entries are not on the boards yet."""
    return int(db.session.scalar(select(func.count()).select_from(PendingProjection)) or 0)


def _after_commit(session: Session) -> None:
    if session.info.pop(SESSION_DISPLAY_CHANGED, None) and has_app_context():
        bump_version()
    ids = session.info.pop(SESSION_PENDING, None)
    if not ids or not has_app_context():
        return
    try:
        sync_pending(limit=SYNC_BATCH)
    except Exception:  # the points are committed; never fail the request over the projection
        logger.exception("leaderboards: projecting entries %s failed; they stay pending", ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(SESSION_PENDING, None)
    session.info.pop(SESSION_DISPLAY_CHANGED, None)


def refresh_visibility(user: User) -> int:
    """Move `user` between the public and hidden side of every board after their visibility
    changed (opt-out, deactivation, role). Best effort: returns the number of boards moved."""
    hidden = is_hidden(user)
    try:
        client = _client()
        pairs: list[str] = []
        seen: set[keys.Board] = set()
        for pattern in keys.board_patterns():
            for key in client.scan_iter(match=pattern, count=1000):
                parsed = keys.parse_key(key)
                if parsed and parsed[1] not in seen:
                    seen.add(parsed[1])
                    board = parsed[1]
                    source, target = (
                        (board.key, board.hidden_key) if hidden else (board.hidden_key, board.key)
                    )
                    pairs += [source, target]
        if not pairs:
            return 0
        pairs.append(keys.version_key())
        return int(client.eval(_MOVE, len(pairs), *pairs, str(user.id)))
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards: could not move user %s (%s); run rebuild", user.id, exc)
        return 0


# Rebuild and verify --------------------------------------------------------------------------
#
# Both read the ledger as SQL aggregates for the live periods (all time, and the current week,
# month, quarter and year: the only boards any page reads): per person and department,
# SUM(amount) and MAX(created_at), the same points and tie-break time the Lua script accumulates
# entry by entry. The company board adds up a person's departments. `verify` runs one query per
# period and compares in Python; `rebuild` groups the ledger once for all periods (a temporary
# table) and lets the database encode the boards, so no member reaches Python at all.

ZADD_CHUNK = 10_000  # members per load script (and rows per fetch)
PIPELINE_COMMANDS = 20  # load scripts per round trip
EPOCH_UNIX = int(TS_EPOCH.replace(tzinfo=UTC).timestamp())


@dataclass
class Expected:
    """Every live board computed from the ledger: key → member → encoded score."""

    boards: dict[str, dict[str, int]] = field(default_factory=dict)
    expiry: dict[str, int | None] = field(default_factory=dict)
    entry_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Rebuilt:
    """What `rebuild` wrote: boards (public and hidden sets), members over all of them, and the
    ledger entries they were computed from."""

    boards: int
    members: int
    entries: int


@dataclass(frozen=True)
class _Period:
    name: str
    start: datetime | None  # naive UTC, inclusive; None for all time
    end: datetime | None  # naive UTC, exclusive
    expires: int | None  # unix time; None = never


@dataclass(frozen=True)
class _Ledger:
    """One consistent view of the score entries: ids 1…last_id as seen by one snapshot."""

    conn: Connection
    last_id: int
    count: int
    hidden: set[int]


@contextmanager
def _ledger_snapshot() -> Iterator[_Ledger]:
    """Every statement sees the same ledger: one REPEATABLE READ transaction on PostgreSQL (an id
    below the newest one may commit late there); on SQLite ids are handed out by the single
    writer in commit order, so bounding every query by `last_id` is enough."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            last_id, count = conn.execute(
                select(func.coalesce(func.max(PointEntry.id), 0), func.count()).where(
                    PointEntry.kind.in_(SCORE_KINDS)
                )
            ).one()
            yield _Ledger(conn, int(last_id), int(count), _hidden_user_ids(conn))


def _live_periods(tz: ZoneInfo, moment: datetime | None = None) -> list[_Period]:
    """The periods whose boards anyone reads: all time and the current week, month, quarter and
    year (at `moment`, naive UTC, default now). Past periods' boards are not rebuilt: no page
    reads them (pages ask for a period kind, always the current one)."""
    periods = [_Period(keys.ALL_TIME, None, None, None)]
    for kind in keys.PERIODS:
        if kind == keys.ALL_TIME:
            continue
        name = keys.period_name(kind, moment, tz)
        start, end = keys.period_start(name, tz), keys.period_end(name, tz)
        periods.append(_Period(name, _naive_utc(start), _naive_utc(end), keys.expires_at(name, tz)))
    return periods


def _naive_utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def _epoch_seconds(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Whole seconds since 1970 of a naive-UTC timestamp column, computed by the database."""
    if conn.dialect.name == "postgresql":
        return func.floor(extract("epoch", column))
    return cast(func.strftime("%s", column), Integer)


def _period_boards(ledger: _Ledger, period: _Period) -> dict[str, list[tuple[str, int]]]:
    """Every board (public and hidden set) of one period: key → [(member, encoded score)], each
    member once per key."""
    conn = ledger.conn
    query = (
        select(
            PointEntry.user_id,
            PointEntry.department_id,
            func.sum(PointEntry.amount),
            _epoch_seconds(conn, func.max(PointEntry.created_at)),
        )
        .where(PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= ledger.last_id)
        .group_by(PointEntry.user_id, PointEntry.department_id)
        .order_by(PointEntry.user_id)
    )
    if period.start is not None:
        query = query.where(
            PointEntry.created_at >= period.start, PointEntry.created_at < period.end
        )
    company = keys.Board(keys.COMPANY, period.name)
    company_lists: tuple[list[tuple[str, int]], list[tuple[str, int]]] = ([], [])
    department_lists: dict[int, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}
    hidden_ids = ledger.hidden
    user, total, latest = None, 0, 0
    result = conn.execution_options(yield_per=ZADD_CHUNK).execute(query)
    for part in result.partitions():
        for user_id, department_id, points, seconds in part:
            points = int(points)
            ts = int(seconds) - EPOCH_UNIX
            if not 0 <= ts <= MAX_TS:
                ts = max(0, min(MAX_TS, ts))
            if department_id:
                lists = department_lists.get(department_id)
                if lists is None:
                    lists = department_lists[department_id] = ([], [])
                lists[user_id in hidden_ids].append((str(user_id), _encode_checked(points, ts)))
            if user_id == user:
                total += points
                if ts > latest:
                    latest = ts
            else:
                if user is not None:
                    company_lists[user in hidden_ids].append(
                        (str(user), _encode_checked(total, latest))
                    )
                user, total, latest = user_id, points, ts
    if user is not None:
        company_lists[user in hidden_ids].append((str(user), _encode_checked(total, latest)))
    out: dict[str, list[tuple[str, int]]] = {}
    for board, (shown, hidden) in [(company, company_lists)] + [
        (keys.Board(keys.department_scope(d), period.name), lists)
        for d, lists in sorted(department_lists.items())
    ]:
        if shown:
            out[board.key] = shown
        if hidden:
            out[board.hidden_key] = hidden
    return out


# KEYS: a staging key. ARGV: "score member score member …", TTL. ZADDs them all (in batches below
# Lua's stack limit) and sets the TTL, so a crashed rebuild leaves no litter for long.
_LOAD = """
local batch, n = {}, 0
for score, member in string.gmatch(ARGV[1], '(%S+) (%S+)') do
  batch[n + 1], batch[n + 2] = score, member
  n = n + 2
  if n >= 7000 then
    redis.call('ZADD', KEYS[1], unpack(batch, 1, n))
    n = 0
  end
end
if n > 0 then redis.call('ZADD', KEYS[1], unpack(batch, 1, n)) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


# The temporary table `rebuild` groups the ledger into, once for every live period: one row per
# person and department (0 = none) with `hidden`, then per period i `points_i` (NULL when the
# person has no entry in the period) and `seconds_i` (unix time of their last entry in it).
_GROUPED = "leaderboard_rebuild"


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
def _grouped_ledger(ledger: _Ledger, periods: list[_Period]) -> Iterator[TableClause]:
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
            cast(_epoch_seconds(conn, func.max(moment)), BigInteger).label(f"seconds_{i}"),
        ]
    query = (
        select(*columns)
        .where(PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= ledger.last_id)
        # Department first: SQLite then sorts one scan of the table instead of walking the
        # user_id index with a random table read per entry.
        .group_by(department, PointEntry.user_id)
    )
    hidden = or_(*_hidden_conditions())
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
    ledger: _Ledger, grouped: TableClause, index: int, period: _Period
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
                scope = keys.department_scope(department) if department else keys.COMPANY
                board = keys.Board(scope, period.name)
                yield (board.hidden_key if is_hidden else board.key), int(size), chunk


def _encode_checked(points: int, ts: int) -> int:
    if not -MAX_POINTS < points < MAX_POINTS:
        raise OverflowError(f"{points} points cannot be ranked exactly")
    return points * TS_SCALE + (MAX_TS - ts)


def _score_bitmap(ledger: _Ledger) -> bytearray:
    """The `applied` bitmap for every score entry in the snapshot, one byte per row from the
    database (the bits of a byte are distinct ids, so their sum is their OR)."""
    bitmap = bytearray(ledger.last_id // 8 + 1 if ledger.count else 0)
    byte = PointEntry.id // 8
    rows = ledger.conn.execute(
        select(byte, func.sum(literal_column("128").op(">>")(PointEntry.id % 8)))
        .where(PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= ledger.last_id)
        .group_by(byte)
    )
    for index, bits in rows:
        bitmap[int(index)] = int(bits)
    return bitmap


def expected_boards() -> Expected:
    """Compute every live board (all time and the current periods) from the ledger, all in memory
    (small ledgers and tests; `rebuild` and `verify` go period by period)."""
    expected = Expected()
    tz = company_tz()
    with _ledger_snapshot() as ledger:
        for period in _live_periods(tz):
            for key, members in _period_boards(ledger, period).items():
                expected.boards[key] = dict(members)
                expected.expiry[key] = period.expires
        expected.entry_ids = list(
            ledger.conn.scalars(
                select(PointEntry.id)
                .where(PointEntry.kind.in_(SCORE_KINDS), PointEntry.id <= ledger.last_id)
                .order_by(PointEntry.id)
            )
        )
    return expected


def _live_keys(client: redis.Redis) -> set[str]:
    found: set[str] = set()
    for pattern in keys.board_patterns():
        found.update(k for k in client.scan_iter(match=pattern, count=1000) if keys.parse_key(k))
    return found


def rebuild() -> Rebuilt:
    """Recreate the live boards from the ledger: build under staging keys, then swap them in at
    once. Live means all time and the current week, month, quarter and year, per company and
    department: the only boards any page reads. Every other board key (past periods' boards,
    which the projection wrote while they were current and which would otherwise expire) is
    deleted in the same swap.

    Entries committed while it runs are applied afterwards (they are requeued), exactly once.
    """
    client = _client(force=True)
    tz = company_tz()
    periods = _live_periods(tz)
    token = secrets.token_hex(4)
    staging = f"{keys.prefix()}:staging:{token}"
    built: dict[str, tuple[str, int | None]] = {}  # board key → (staging key, expire-at)
    members = 0
    loader = _Loader(client)  # Redis loads one batch while the database computes the next
    try:
        with _ledger_snapshot() as ledger, _grouped_ledger(ledger, periods) as grouped:
            for index, period in enumerate(periods):
                for key, size, packed in _period_packed(ledger, grouped, index, period):
                    if key not in built:
                        built[key] = (f"{staging}:{len(built)}", period.expires)
                    members += size
                    loader.add(built[key][0], packed)
            bitmap = _score_bitmap(ledger)
            last_id, count = ledger.last_id, ledger.count
    finally:
        loader.finish()
    pipe = client.pipeline(transaction=False)
    if bitmap:
        pipe.set(f"{staging}:applied", bytes(bitmap), ex=STAGING_TTL)
    pipe.execute()

    # Swap only whole staging: were Redis flushed or restarted meanwhile, some RENAMEs would fail
    # in the MULTI while the rest (the built marker too) went through.
    staged = [temp for temp, _ in built.values()] + ([f"{staging}:applied"] if bitmap else [])
    swap = client.pipeline(transaction=True)
    if staged:
        swap.watch(*staged)
        if swap.exists(*staged) != len(staged):
            swap.reset()
            raise redis.exceptions.WatchError("the staged boards went away: rebuild again")
    stale = _live_keys(client) - set(built)
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
    swap.incr(keys.version_key())
    if bitmap:
        swap.rename(f"{staging}:applied", keys.applied_key())
        swap.persist(keys.applied_key())
    swap.execute()
    logger.info(
        "leaderboards rebuilt: %s boards, %s members from %s entries", len(built), members, count
    )
    # Entries written while rebuilding are not in the new bitmap: apply them now.
    _requeue_unapplied(last_id, count, bitmap)
    reset_breaker()
    sync_pending(force=True, recover=False)
    return Rebuilt(boards=len(built), members=members, entries=count)


class _Loader:
    """Runs the `_LOAD` scripts on a thread of its own, PIPELINE_COMMANDS per round trip, so that
    Redis and the database work at the same time. `finish` waits and re-raises a Redis error."""

    def __init__(self, client: redis.Redis) -> None:
        self.script = client.register_script(_LOAD)
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


def verify() -> list[str]:
    """Compare the live boards (all time and the current periods, as `rebuild` writes them) with
    the ledger; returns one line per difference (empty = equal). Boards of past periods are not
    compared: nothing reads them, and `rebuild` deletes them."""
    client = _client(force=True)
    tz = company_tz()
    periods = _live_periods(tz)
    names = {period.name for period in periods}
    live = {key for key in _live_keys(client) if keys.parse_key(key)[1].period in names}  # type: ignore[index]
    drift: list[str] = []
    expected: set[str] = set()
    with _ledger_snapshot() as ledger:
        for period in periods:
            for key, rows in sorted(_period_boards(ledger, period).items()):
                expected.add(key)
                members = dict(rows)
                if key not in live:
                    drift.append(f"{key}: board missing from Redis ({len(members)} people)")
                    continue
                actual = {m: int(s) for m, s in client.zrange(key, 0, -1, withscores=True)}
                if actual == members:
                    continue
                for member in sorted(set(members) | set(actual), key=int):
                    want, got = members.get(member), actual.get(member)
                    if want != got:
                        drift.append(
                            f"{key}: user {member} {_describe(want)} in the ledger, {_describe(got)}"
                        )
    extra = [
        f"{key}: board exists in Redis but not in the ledger" for key in sorted(live - expected)
    ]
    return extra + drift


def _describe(score: int | None) -> str:
    if score is None:
        return "absent"
    points, ts = decode(score)
    return f"{points} points (since {from_ts(ts):%Y-%m-%d %H:%M:%S} UTC)"


# Reading -------------------------------------------------------------------------------------


class Unavailable:
    """Returned instead of a board when Redis cannot be reached; pages say so and carry on."""

    available = False

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE = Unavailable()


@dataclass(frozen=True)
class Ranked:
    """One place on a board. `rank` counts only the people shown (1 = first)."""

    rank: int
    user_id: int
    points: int
    reached_at: datetime


@dataclass(frozen=True)
class Standing:
    """A person's place and the people just above and below them. `private` when the person is
    not shown publicly (opted out …): only they see this rank."""

    me: Ranked
    above: list[Ranked]
    below: list[Ranked]
    private: bool


def _ranked(rank: int, member: str, score: float) -> Ranked:
    points, ts = decode(score)
    return Ranked(rank, int(member), points, from_ts(ts))


def top(scope: str = keys.COMPANY, period: str = "all", n: int = 25) -> list[Ranked] | Unavailable:
    """The first `n` people shown on a board (period: "week" … "all" or a period name)."""
    board = keys.board(scope, period)
    found = _read(_TOP, [board.key], [n])
    if isinstance(found, Unavailable):
        return found
    return [_ranked(i + 1, m, float(score)) for i, (m, score) in enumerate(_pairs(found))]


def rank_of(
    user: User | int, scope: str = keys.COMPANY, period: str = "all"
) -> Ranked | None | Unavailable:
    """Where `user` stands (None when they have no points there). Works for hidden people too:
    their rank is where they would be among the people shown."""
    standing = rank_and_neighbours(user, scope, period, around=0)
    return standing if isinstance(standing, Unavailable) else (standing and standing.me)


def rank_and_neighbours(
    user: User | int, scope: str = keys.COMPANY, period: str = "all", around: int = 2
) -> Standing | None | Unavailable:
    """`user`'s place on a board with up to `around` people shown above and below them."""
    member = str(user if isinstance(user, int) else user.id)
    board = keys.board(scope, period)
    # One round trip, whoever asks and whatever `around` is.
    found = _read(_STANDING, [board.key, board.hidden_key], [member, around])
    return found if isinstance(found, Unavailable) else _standing(found, member, around)


def _read(source: str, redis_keys: list[str], args: list[Any]) -> Any:
    """Run the read script `source` (which starts with `_WHOLE`) on `redis_keys` and the built
    marker. UNAVAILABLE when Redis is unreachable, or lost the boards and they are being rebuilt
    (the first reader to notice has them rebuilt, see "Lost boards")."""
    found = _run_read(source, redis_keys, args)
    if found == NOT_WHOLE and ensure_whole() == "whole":  # (a new install: the marker is set now)
        found = _run_read(source, redis_keys, args)
    return UNAVAILABLE if found == NOT_WHOLE else found


def _run_read(source: str, redis_keys: list[str], args: list[Any]) -> Any:
    try:
        return _script(source)(keys=[*redis_keys, keys.built_key()], args=args)
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards unavailable: %s", exc)
        return UNAVAILABLE


def _standing(found: Any, member: str, around: int) -> Standing | None:
    if not found:
        return None
    index, score, private, above_rows, below_rows = found
    index = int(index)
    first_below = index if private else index + 1
    start = max(0, index - around)
    return Standing(
        me=_ranked(index + 1, member, float(score)),
        above=[_ranked(start + i + 1, m, float(s)) for i, (m, s) in enumerate(_pairs(above_rows))],
        below=[
            _ranked(first_below + i + 1, m, float(s)) for i, (m, s) in enumerate(_pairs(below_rows))
        ],
        private=bool(private),
    )


def _pairs(flat: list[str]) -> list[tuple[str, str]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


# Page fragments ------------------------------------------------------------------------------
#
# A board page renders the same top rows for everyone who looks at the same board in the same
# language. They are cached in Redis under the current `version`, which the apply and move scripts
# and `rebuild` bump together with the boards (atomically, in the same script or MULTI), and which
# is bumped after any commit that changed what the rows show besides the points: names and
# departments (users, departments), levels and badges. The version is read before the board, so a
# fragment stored under a version holds data at least as new as that version: a page never shows
# a board older than the one Redis holds.

FRAGMENT_TTL = 600
DISPLAY_TABLES = frozenset({"users", "departments", "levels", "user_badges"})
SESSION_DISPLAY_CHANGED = "leaderboards_display_changed"

# KEYS: the version, a board's public and hidden set, the built marker. ARGV: a member ('' for
# nobody), around, then fragment keys without their version. Returns {version, the member's
# standing or false, each fragment's text or false}: all of one version of the board, in one round
# trip.
_PAGE = (
    _WHOLE
    + _STANDING_FUNCTION
    + """
local version = redis.call('GET', KEYS[1]) or '0'
local found = {version, false}
if ARGV[1] ~= '' then found[2] = standing(KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[2])) end
for i = 3, #ARGV do found[i] = redis.call('GET', ARGV[i] .. version) end
return found
"""
)


@dataclass(frozen=True)
class PageReads:
    """What a board page reads from Redis at once: the version of the boards, `user`'s standing
    (None when they have no points there, or no user was asked about) and the fragments cached
    for that version (None where there is none yet)."""

    version: str
    standing: Standing | None
    fragments: list[str | None]


def page_reads(
    scope: str, period: str, names: list[str], user_id: int | None = None, around: int = 2
) -> PageReads | Unavailable:
    """One round trip for a board page: the cached fragments `names` of the current version and
    `user_id`'s standing with `around` people. Store freshly rendered fragments with
    `store_fragments(…, version, texts)`."""
    board = keys.board(scope, period)
    member = "" if user_id is None else str(user_id)
    reads = _read(
        _PAGE,
        [keys.version_key(), board.key, board.hidden_key],
        [member, around, *(keys.fragment_key(board, name, "") for name in names)],
    )
    if isinstance(reads, Unavailable):
        return reads
    version, found, *texts = reads
    return PageReads(
        version=str(version),
        standing=_standing(found, member, around) if member else None,
        fragments=[text if text else None for text in texts],
    )


def store_fragments(scope: str, period: str, version: str, texts: dict[str, str]) -> None:
    """Cache several fragments of `version` of a board at once (all or none; best effort)."""
    board = keys.board(scope, period)
    try:
        pipe = _client().pipeline(transaction=True)
        for name, text in texts.items():
            pipe.set(keys.fragment_key(board, name, version), text, ex=FRAGMENT_TTL)
        pipe.execute()
    except redis.exceptions.RedisError as exc:
        _trip(exc)


def bump_version() -> None:
    """Invalidate every cached board fragment (best effort)."""
    try:
        _client().incr(keys.version_key())
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards: could not bump the version (%s)", exc)


# Of a person, what a board or a rank card shows or depends on; a sign-in (last_login_at), a new
# password or language changes none of it and keeps every fragment.
USER_DISPLAY_ATTRIBUTES = (
    "name",
    "display_name",
    "department_id",
    "department",
    "role",
    "leaderboard_opt_out",
    "is_active_account",
)


def _note_display_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table not in DISPLAY_TABLES:
            continue
        if table == "users" and obj in session.dirty and obj not in session.new:
            attributes = sa_inspect(obj).attrs
            if not any(attributes[name].history.has_changes() for name in USER_DISPLAY_ATTRIBUTES):
                continue
        session.info[SESSION_DISPLAY_CHANGED] = True
        return


def _note_bulk_display_changes(state: Any) -> None:
    mapper = state.bind_mapper
    changes = state.is_update or state.is_delete
    if changes and mapper is not None and mapper.local_table.name in DISPLAY_TABLES:
        state.session.info[SESSION_DISPLAY_CHANGED] = True


# Wiring --------------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Project after every commit that wrote points; apply what is pending at start-up."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        event.listen(Session, "before_flush", _note_display_changes)
        event.listen(Session, "do_orm_execute", _note_bulk_display_changes)
    if app.config.get("LEADERBOARD_SYNC_ON_START", True):
        with app.app_context():
            try:
                if not sa_inspect(db.engine).has_table(PendingProjection.__tablename__):
                    return  # not migrated yet (e.g. during `flask db upgrade`): nothing to apply
                applied = sync_pending(force=True, recover=False)  # (a reader or write recovers)
                if applied:
                    logger.info("leaderboards: applied %s pending entries at start-up", applied)
            except Exception as exc:  # e.g. the database is not migrated yet
                logger.warning("leaderboards: start-up sync skipped (%s)", str(exc).splitlines()[0])
            finally:
                db.session.remove()
