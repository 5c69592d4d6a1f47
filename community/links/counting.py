"""Counting visitors without keeping who they were: every Redis key of the links room is built
here, under one prefix (`LINKS_REDIS_PREFIX`, default `links`).

A visitor is a salted hash of their address: `HMAC(salt of the day, address)`. The day's salt is
random, made by whichever process needs it first (`SET NX`) and dropped by Redis two days later,
so yesterday's hashes can no longer be tied to any address, not even by someone holding the
app's secret. The same hash is the rate limiter's key on the public pages (`visitor_key`), so
the limiter too stores counts under a hash, never an address.

`first_visit_today(target)` adds the visitor to the day's set of `target` (`code:<id>` or
`link:<id>`) and says whether they were new; the set expires a day after the day ends. The
count itself is SQL (`services.count_click`), so losing Redis loses only the day's
de-duplication, never a count. While Redis is away nothing is counted: an open door for inflating
counts is worse than a few missed visits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import date

import redis
from flask import current_app
from flask_limiter.util import get_remote_address

from community.core.time import local_today
from community.extensions import redis_store

logger = logging.getLogger(__name__)

SALT_SECONDS = 2 * 24 * 3600
SEEN_SECONDS = 2 * 24 * 3600  # the day's set outlives the day (zones), then goes

_salts: dict[tuple[str, str], bytes] = {}  # (prefix, day) → salt, for this process


def _prefix() -> str:
    return str(current_app.config.get("LINKS_REDIS_PREFIX", "links"))


def salt_key(day: date) -> str:
    return f"{_prefix()}:salt:{day.isoformat()}"


def seen_key(day: date, target: str) -> str:
    return f"{_prefix()}:seen:{day.isoformat()}:{target}"


def _salt(day: date) -> bytes:
    """The day's random salt, shared by every process through Redis."""
    cached = _salts.get((_prefix(), day.isoformat()))
    if cached is not None:
        return cached
    client = redis_store.client
    key = salt_key(day)
    client.set(key, secrets.token_hex(16), nx=True, ex=SALT_SECONDS)
    value = client.get(key)
    salt = str(value).encode()
    if len(_salts) > 8:
        _salts.clear()
    _salts[(_prefix(), day.isoformat())] = salt
    return salt


def forget_salts() -> None:
    """Drop this process's copies of the salts (tests, after flushing Redis)."""
    _salts.clear()


def visitor_hash(address: str | None, day: date | None = None) -> str:
    """The visitor's hash for `day` (today in the company's zone). Without Redis, a hash under
    the app's secret and the day: still no address kept, though one a holder of the secret could
    test guesses against."""
    day = day or local_today()
    raw = (address or "unknown").encode()
    try:
        salt = _salt(day)
    except redis.RedisError:
        salt = f"{current_app.config['SECRET_KEY']}|{day.isoformat()}".encode()
    return hmac.new(salt, raw, hashlib.sha256).hexdigest()[:32]


def visitor_key() -> str:
    """The rate limiter's key for the public pages: the visitor's hash, never the address."""
    return "visitor:" + visitor_hash(get_remote_address())


def first_visit_today(target: str, address: str | None) -> bool:
    """True when this visitor had not opened `target` yet today (then they are remembered until
    the set expires). False when they had, or when Redis cannot tell."""
    day = local_today()
    try:
        visitor = visitor_hash(address, day)
        key = seen_key(day, target)
        pipe = redis_store.client.pipeline(transaction=True)
        pipe.sadd(key, visitor)
        pipe.expire(key, SEEN_SECONDS)
        added, _ = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("link visit of %s not counted: Redis failed (%s)", target, exc)
        return False
    return bool(added)
