"""Lost boards: a Redis that comes back empty (restarted without persistence, flushed) would
otherwise take new entries onto empty boards and rank people by them alone.

`rebuild` sets a `built` marker with the boards, the APPLY script refuses to write while it is
missing, and every read script answers "not whole" instead of an empty board. Whoever finds it
missing (a write, a read, `flask leaderboards sync`) sets it when nothing had been projected yet
(a new install), and otherwise rebuilds every board from the ledger under a lock, one process at
a time: a command at once, a request in a background thread (its pages say the board is away
meanwhile). A failed rebuild keeps the lock RECOVERY_RETRY_SECONDS, so readers do not start one
after another; a process that dies while rebuilding frees it after RECOVERY_LOCK_SECONDS.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from contextlib import suppress

import redis
from flask import current_app, has_request_context
from sqlalchemy.orm import Session

from community.extensions import db
from community.leaderboards import connection, keys, scripts
from community.leaderboards.projection import apply_pending, projected_before, projected_count
from community.leaderboards.rebuild import rebuild

logger = logging.getLogger(__name__)

RECOVERY_LOCK_SECONDS = 120  # longer than a rebuild of a million entries; a second one is harmless
RECOVERY_RETRY_SECONDS = 15  # after a failed rebuild, before anyone tries again
_recovery: dict[str, threading.Thread | None] = {"thread": None}


def sync_pending(
    limit: int | None = None, force: bool = False, recover: bool = True, at_once: bool = False
) -> int:
    """Apply pending ledger entries to Redis (`projection.apply_pending`); returns how many.

    When Redis lost the boards, `recover`s them (`at_once`: the CLI; otherwise in the background
    during a request), the entries staying pending for the rebuild to apply.
    """
    applied = apply_pending(limit, force)
    total = applied.count
    if applied.lost and recover and ensure_whole(at_once) in ("whole", "rebuilt"):
        more = apply_pending(None if limit is None else max(limit - total, 0), force)
        total += more.count
    return total


def ensure_whole(at_once: bool = False) -> str:
    """Make sure the boards are whole (see the module's notes). Returns "whole" (the built marker is
    there, or nothing was ever projected and it is set now: a new install), "rebuilt" (Redis had
    lost the boards; rebuilt from the ledger), "rebuilding" (by a background thread of this
    process, or by another process), "failed" (the rebuild failed; tried again shortly) or
    "unreachable". Rebuilds `at_once` when asked (the CLI) or outside a request (any command);
    otherwise in a background thread. Never raises."""
    try:
        client = connection.client(force=at_once)
        built, locked = client.mget(keys.built_key(), keys.recovery_lock_key())
        if built:
            return "whole"
        if locked:  # readers while a rebuild runs: no query of the ledger
            return "rebuilding"
        with Session(db.engine) as session:
            if not projected_before(session):
                client.set(keys.built_key(), "new", nx=True)
                return "whole"
        return _recover(client, at_once, "Redis lost the boards; rebuilding them from the ledger")
    except redis.exceptions.RedisError as exc:
        connection.trip(exc)
        logger.warning("leaderboards: could not check the boards are whole (%s)", exc)
        return "unreachable"
    except Exception:  # e.g. the database: the page says the board is away, nothing fails
        logger.exception("leaderboards: could not check the boards are whole")
        return "failed"


def _recover(client: redis.Redis, at_once: bool, announce: str | None = None) -> str:
    """Rebuild every board under the recovery lock, unless someone else holds it: at once for a
    command (or outside a request), otherwise in a background thread. `announce` is logged by
    whoever takes the lock."""
    token = secrets.token_hex(8)
    if not client.set(keys.recovery_lock_key(), token, nx=True, ex=RECOVERY_LOCK_SECONDS):
        return "whole" if client.exists(keys.built_key()) else "rebuilding"
    if announce:
        logger.warning("leaderboards: %s", announce)
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


def ensure_current() -> str:
    """At start-up: the boards hold exactly the entries the ledger says were projected, else they
    are rebuilt at once with one log line. Catches what the `built` marker cannot: a Redis that
    came back from an older snapshot (behind: entries the ledger counts as projected are not on
    the boards) or that kept the boards of another database (ahead). Returns "current",
    "rebuilt", "rebuilding", "failed" or "unreachable"; never raises."""
    try:
        with Session(db.engine) as session:  # the ledger first: it can only fall behind Redis
            projected = projected_count(session)
        client = connection.client(force=True)
        if not client.exists(keys.built_key()):  # lost altogether: the marker's own recovery
            whole = ensure_whole(at_once=True)
            return "current" if whole == "whole" else whole
        on_boards = int(client.bitcount(keys.applied_key()))
        if on_boards == projected:
            return "current"
        how = "behind" if on_boards < projected else "ahead of"
        started = time.perf_counter()
        outcome = _recover(client, at_once=True)
        if outcome == "rebuilt":
            logger.warning(
                "leaderboards: Redis was %s the ledger (%s of %s entries on the boards); "
                "rebuilt the boards from the ledger in %.1f s",
                how,
                on_boards,
                projected,
                time.perf_counter() - started,
            )
        return "current" if outcome == "whole" else outcome
    except redis.exceptions.RedisError as exc:
        connection.trip(exc)
        logger.warning("leaderboards: could not check the boards are current (%s)", exc)
        return "unreachable"
    except Exception:
        logger.exception("leaderboards: could not check the boards are current")
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
        client.eval(scripts.UNLOCK, 1, keys.recovery_lock_key(), token)
    return True


def wait_for_recovery(timeout: float | None = None) -> None:
    """Wait for a background rebuild of lost boards started by this process (tests)."""
    thread = _recovery["thread"]
    if thread is not None:
        thread.join(timeout)
