"""The registry of duties: work that falls due with time. A room registers its own in its
`init_app`; the worker's tick runs them all (`run_due`), each on its own, so one failing duty
never keeps the others from running."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from community.core.time import utcnow
from community.extensions import db

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Duty:
    """`run(now)` does what is due at `now` and says how many things it did. It must be
    idempotent and computed from the clock (what is due by now, not what fired once)."""

    name: str
    run: Callable[[datetime], int]
    description: str


FAILED = "failed"
_DUTIES: dict[str, Duty] = {}


def register(duty: Duty) -> None:
    """Add a duty (a second registration under the same name replaces the first)."""
    _DUTIES[duty.name] = duty


def unregister(name: str) -> None:
    _DUTIES.pop(name, None)


def registered() -> list[Duty]:
    """Every duty, in the order the rooms registered them."""
    return list(_DUTIES.values())


def run_due(now: datetime | None = None) -> dict[str, int | str]:
    """Run every duty for `now` (the current time by default). Returns what each did: a count,
    or FAILED (logged with its traceback; its writes rolled back)."""
    now = now or utcnow()
    done: dict[str, int | str] = {}
    for duty in registered():
        try:
            done[duty.name] = duty.run(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("worker: the duty %s failed; the next tick tries again", duty.name)
            done[duty.name] = FAILED
    busy = {name: count for name, count in done.items() if count}
    if busy:
        logger.info("worker: tick at %s: %s", now.isoformat(timespec="seconds"), busy)
    return done
