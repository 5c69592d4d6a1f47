"""Extension objects, created once and bound to an app in `create_app()` with `init_app`."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask, current_app
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Engine, MetaData, event

from community.core.embedded_redis import ensure_embedded_redis

# Stable constraint names so migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))

SQLITE_MMAP_BYTES = 256 * 1024 * 1024


@event.listens_for(Engine, "connect")
def _sqlite_reads_mapped(dbapi_connection: Any, _record: Any) -> None:
    """SQLite reads its file through memory mapping, not its own 2 MB page cache per
    connection: with that cache, looking up a search page's 1,000 candidates by key re-read
    pages from the OS each time (6 ms of a 10 ms search at 100k posts, docs/performance.md).
    The mapping is shared by every connection (the OS page cache); PostgreSQL is untouched."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
mail = Mail()  # bound by the mail room (community/mail), which also reads its settings at each send


class RedisStore:
    """The app's Redis connection: `REDIS_URL` when set, otherwise the embedded server."""

    def init_app(self, app: Flask) -> None:
        url = app.config.get("REDIS_URL")
        # Fail fast when Redis is down (one quick retry, no backoff): pages must not hang on it.
        fail_fast: dict[str, Any] = {
            "decode_responses": True,
            "socket_timeout": 2,
            "socket_connect_timeout": 1,
            "retry": Retry(NoBackoff(), 1),
        }
        if url:
            client = redis.Redis.from_url(url, **fail_fast)
            # The limiter's library spells a socket URL redis+unix:// where redis-py says unix://.
            limits_url = f"redis+{url}" if url.startswith("unix://") else url
            app.config.setdefault("RATELIMIT_STORAGE_URI", limits_url)
        else:
            sock = ensure_embedded_redis(
                app.config["EMBEDDED_REDIS_DIR"], persist=not app.config.get("TESTING")
            )
            client = redis.Redis(unix_socket_path=str(sock), **fail_fast)
            app.config.setdefault("RATELIMIT_STORAGE_URI", f"redis+unix://{sock}")
        app.extensions["redis"] = client

    @property
    def client(self) -> redis.Redis:
        return current_app.extensions["redis"]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


redis_store = RedisStore()


def _limiter_key() -> str:
    return get_remote_address() or "unknown"


limiter = Limiter(key_func=_limiter_key, default_limits=[], strategy="fixed-window")
