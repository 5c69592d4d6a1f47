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

Exclusions: people who are not shown (deactivated, opted out, HR staff when
LEADERBOARD_EXCLUDE_HR) are kept in a sibling `hidden` sorted set of each board instead of the
public one, so `top` and ranks are plain O(log N) Redis reads and the hidden person can still be
told privately where they would stand (`rank_of`).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from community.accounts.models import Role, User
from community.core.time import company_tz, to_local
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

# KEYS: applied bitmap, then (public, hidden) per board. ARGV: entry id, amount, ts, hidden (1/0),
# member, then one expire-at per board (0 = never). Checks everything before writing anything.
_APPLY = """
if redis.call('GETBIT', KEYS[1], ARGV[1]) == 1 then return 0 end
local amount = tonumber(ARGV[2])
local ts = tonumber(ARGV[3])
local hidden = ARGV[4] == '1'
local member = ARGV[5]
local scale = tonumber(ARGV[6])
local maxts = scale - 1
local limit = tonumber(ARGV[7])
local n = (#KEYS - 1) / 2
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
return 1
"""

# KEYS: (from, to) pairs. ARGV: member. Moves the member between a board's public and hidden set.
_MOVE = """
local moved = 0
for i = 1, #KEYS, 2 do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if score then
    redis.call('ZADD', KEYS[i + 1], score, ARGV[1])
    redis.call('ZREM', KEYS[i], ARGV[1])
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[i + 1], ttl) end
    moved = moved + 1
  end
end
return moved
"""


class RedisUnavailable(redis.exceptions.ConnectionError):
    """Redis failed moments ago; not tried again yet."""


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


def _hidden_user_ids(session: Session, user_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the people `is_hidden` is true for, as one column query (fast for a rebuild)."""
    hidden = [User.is_active_account.is_(False), User.leaderboard_opt_out.is_(True)]
    if current_app.config.get("LEADERBOARD_EXCLUDE_HR", True):
        hidden.append(User.role == Role.HR)
    query = select(User.id).where(or_(*hidden))
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
    return redis_keys, args


def sync_pending(limit: int | None = None, force: bool = False) -> int:
    """Apply pending ledger entries to Redis; returns how many were applied.

    Uses its own database session, so it can run right after the caller's commit. Stops quietly
    (logging a warning) when Redis is unreachable: the entries stay pending.
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
            hidden = _hidden_user_ids(session, {e.user_id for e in entries})
            try:
                client = _client(force)
                script = client.register_script(_APPLY)
                pipe = client.pipeline(transaction=False)
                for entry in entries:
                    if entry.kind in SCORE_KINDS:
                        redis_keys, args = _apply_args(entry, entry.user_id in hidden)
                        script(keys=redis_keys, args=args, client=pipe)
                pipe.execute()
            except redis.exceptions.RedisError as exc:
                _trip(exc)
                logger.warning("leaderboards: %s entries stay pending (%s)", len(ids), exc)
                break
            session.execute(delete(PendingProjection).where(PendingProjection.entry_id.in_(ids)))
            session.commit()
            applied += len(ids)
    return applied


def pending_count() -> int:
    """How many ledger entries are not on the boards yet."""
    return int(db.session.scalar(select(func.count()).select_from(PendingProjection)) or 0)


def _after_commit(session: Session) -> None:
    ids = session.info.pop(SESSION_PENDING, None)
    if not ids or not has_app_context():
        return
    try:
        sync_pending(limit=SYNC_BATCH)
    except Exception:  # the points are committed; never fail the request over the projection
        logger.exception("leaderboards: projecting entries %s failed; they stay pending", ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(SESSION_PENDING, None)


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
        return int(client.eval(_MOVE, len(pairs), *pairs, str(user.id)))
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards: could not move user %s (%s); run rebuild", user.id, exc)
        return 0


# Rebuild and verify --------------------------------------------------------------------------


@dataclass
class Expected:
    """Every live board computed from the ledger: key → member → encoded score."""

    boards: dict[str, dict[str, int]] = field(default_factory=dict)
    expiry: dict[str, int | None] = field(default_factory=dict)
    entry_ids: list[int] = field(default_factory=list)


def expected_boards(session: Session | None = None) -> Expected:
    """Compute every live board (not yet expired) from the ledger."""
    session = session or db.session
    tz_now = int(datetime.now(UTC).timestamp())
    hidden = _hidden_user_ids(session)
    totals: dict[str, dict[str, list[int]]] = defaultdict(dict)
    expected = Expected()
    tz = company_tz()
    board_cache: dict[tuple[int | None, date], list[tuple[str, str, int | None]]] = {}
    rows = session.execute(
        select(
            PointEntry.id,
            PointEntry.user_id,
            PointEntry.amount,
            PointEntry.department_id,
            PointEntry.created_at,
        )
        .where(PointEntry.kind.in_(SCORE_KINDS))
        .execution_options(yield_per=10_000)
    )
    for entry_id, user_id, amount, department_id, created_at in rows:
        expected.entry_ids.append(entry_id)
        day = to_local(created_at, tz).date()  # every period is a set of local days
        targets = board_cache.get((department_id, day))
        if targets is None:
            targets = []
            for board in keys.boards_for_entry(department_id, created_at, tz):
                expires = keys.expires_at(board.period, tz)
                if expires is None or expires > tz_now:
                    targets.append((board.key, board.hidden_key, expires))
            board_cache[(department_id, day)] = targets
        ts = to_ts(created_at)
        member = str(user_id)
        for public, secret, expires in targets:
            key = secret if user_id in hidden else public
            expected.expiry[key] = expires
            slot = totals[key].get(member)
            if slot is None:
                totals[key][member] = [amount, ts]
            else:
                slot[0] += amount
                slot[1] = max(slot[1], ts)
    for key, members in totals.items():
        expected.boards[key] = {m: encode(p, ts) for m, (p, ts) in members.items()}
    return expected


def _live_keys(client: redis.Redis) -> set[str]:
    found: set[str] = set()
    for pattern in keys.board_patterns():
        found.update(k for k in client.scan_iter(match=pattern, count=1000) if keys.parse_key(k))
    return found


def rebuild() -> Expected:
    """Recreate every board from the ledger: build under staging keys, then swap them in at once."""
    client = _client(force=True)
    with Session(db.engine) as session:
        expected = expected_boards(session)
    token = secrets.token_hex(4)
    staging = f"{keys.prefix()}:staging:{token}"
    pipe = client.pipeline(transaction=False)
    for n, members in enumerate(expected.boards.values()):
        items = list(members.items())
        for start in range(0, len(items), 10_000):
            pipe.zadd(f"{staging}:{n}", dict(items[start : start + 10_000]))
            pipe.expire(f"{staging}:{n}", STAGING_TTL)  # a crashed rebuild leaves no litter
            if len(pipe) >= 50:
                pipe.execute()
    bitmap = bytearray((max(expected.entry_ids) // 8 + 1) if expected.entry_ids else 0)
    for entry_id in expected.entry_ids:
        bitmap[entry_id >> 3] |= 0x80 >> (entry_id & 7)
    if bitmap:
        pipe.set(f"{staging}:applied", bytes(bitmap), ex=STAGING_TTL)
    pipe.execute()

    swap = client.pipeline(transaction=True)
    stale = _live_keys(client) - set(expected.boards)
    if stale:
        swap.delete(*stale)
    for n, key in enumerate(expected.boards):
        swap.rename(f"{staging}:{n}", key)  # (RENAME keeps the staging TTL: replace it)
        if expected.expiry.get(key):
            swap.expireat(key, expected.expiry[key])
        else:
            swap.persist(key)
    if bitmap:
        swap.rename(f"{staging}:applied", keys.applied_key())
        swap.persist(keys.applied_key())
    else:
        swap.delete(keys.applied_key())
    swap.execute()
    logger.info(
        "leaderboards rebuilt: %s boards from %s entries",
        len(expected.boards),
        len(expected.entry_ids),
    )
    # Entries written while rebuilding are not in the new bitmap: apply them now.
    _requeue_after(max(expected.entry_ids, default=0))
    reset_breaker()
    sync_pending(force=True)
    return expected


def _requeue_after(entry_id: int) -> None:
    with Session(db.engine) as session:
        newer = session.scalars(select(PointEntry.id).where(PointEntry.id > entry_id)).all()
        queued = set(session.scalars(select(PendingProjection.entry_id)))
        session.add_all(PendingProjection(entry_id=i) for i in newer if i not in queued)
        session.commit()


def verify() -> list[str]:
    """Compare every board with the ledger; returns one line per difference (empty = equal)."""
    client = _client(force=True)
    with Session(db.engine) as session:
        expected = expected_boards(session)
    drift: list[str] = []
    live = _live_keys(client)
    for key in sorted(live - set(expected.boards)):
        drift.append(f"{key}: board exists in Redis but not in the ledger")
    for key, members in sorted(expected.boards.items()):
        actual = {m: int(s) for m, s in client.zrange(key, 0, -1, withscores=True)}
        if key not in live:
            drift.append(f"{key}: board missing from Redis ({len(members)} people)")
            continue
        for member in sorted(set(members) | set(actual), key=int):
            want, got = members.get(member), actual.get(member)
            if want == got:
                continue
            drift.append(f"{key}: user {member} {_describe(want)} in the ledger, {_describe(got)}")
    return drift


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
    try:
        rows = _client().zrevrange(board.key, 0, n - 1, withscores=True)
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards unavailable: %s", exc)
        return UNAVAILABLE
    return [_ranked(i + 1, member, score) for i, (member, score) in enumerate(rows)]


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
    user_id = user if isinstance(user, int) else user.id
    member = str(user_id)
    board = keys.board(scope, period)
    try:
        client = _client()
        # Two round trips for someone shown (three for a hidden person), whatever `around` is.
        index, shown_score, hidden_score = (
            client.pipeline(transaction=False)
            .zrevrank(board.key, member)
            .zscore(board.key, member)
            .zscore(board.hidden_key, member)
            .execute()
        )
        private = index is None
        if private:
            if hidden_score is None:
                return None
            score = hidden_score
            # Hidden: count the people shown who rank strictly higher.
            index = client.zcount(board.key, f"({int(score)}", "+inf")
            first_below = index
        else:
            score = shown_score
            first_below = index + 1
        neighbours = client.pipeline(transaction=False)
        if around and index:
            neighbours.zrevrange(board.key, max(0, index - around), index - 1, withscores=True)
        if around:
            neighbours.zrevrange(board.key, first_below, first_below + around - 1, withscores=True)
        fetched = neighbours.execute() if around else []
        above_rows = fetched[0] if around and index else []
        below_rows = fetched[-1] if around else []
    except redis.exceptions.RedisError as exc:
        _trip(exc)
        logger.warning("leaderboards unavailable: %s", exc)
        return UNAVAILABLE
    start = max(0, index - around)
    return Standing(
        me=_ranked(index + 1, member, score),
        above=[_ranked(start + i + 1, m, s) for i, (m, s) in enumerate(above_rows)],
        below=[_ranked(first_below + i + 1, m, s) for i, (m, s) in enumerate(below_rows)],
        private=private,
    )


# Wiring --------------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Project after every commit that wrote points; apply what is pending at start-up."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
    if app.config.get("LEADERBOARD_SYNC_ON_START", True):
        with app.app_context():
            try:
                if not sa_inspect(db.engine).has_table(PendingProjection.__tablename__):
                    return  # not migrated yet (e.g. during `flask db upgrade`): nothing to apply
                applied = sync_pending(force=True)
                if applied:
                    logger.info("leaderboards: applied %s pending entries at start-up", applied)
            except Exception as exc:  # e.g. the database is not migrated yet
                logger.warning("leaderboards: start-up sync skipped (%s)", str(exc).splitlines()[0])
            finally:
                db.session.remove()
