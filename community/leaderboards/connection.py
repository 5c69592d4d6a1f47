"""The leaderboards' Redis client, behind a breaker: after Redis fails, this process leaves it
alone for LEADERBOARD_REDIS_BACKOFF_SECONDS (5) so that pages do not wait on it again and again;
reads answer UNAVAILABLE meanwhile and writes stay pending in the ledger's outbox."""

from __future__ import annotations

import time
from typing import Any

import redis
from flask import current_app

from community.extensions import redis_store

_breaker = {"down_until": 0.0}


class RedisUnavailable(redis.exceptions.ConnectionError):
    """Redis failed moments ago; not tried again yet."""


def client(force: bool = False) -> redis.Redis:
    """The Redis client, unless it failed within the backoff (`force` tries anyway: the CLI and
    rebuild)."""
    if not force and time.monotonic() < _breaker["down_until"]:
        raise RedisUnavailable("Redis failed recently")
    return redis_store.client


def script(source: str) -> Any:
    """The Lua script `source`, to run on the current client (raises when Redis is down)."""
    return client().register_script(source)


def trip(exc: Exception) -> None:
    """Redis just failed with `exc`: back off."""
    if not isinstance(exc, RedisUnavailable):
        backoff = float(current_app.config.get("LEADERBOARD_REDIS_BACKOFF_SECONDS", 5))
        _breaker["down_until"] = time.monotonic() + backoff


def reset_breaker() -> None:
    """Try Redis again on the next call (tests, and after an operator restarted it)."""
    _breaker["down_until"] = 0.0
