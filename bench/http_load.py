"""Load over real HTTP for the benchmarks: the app under gunicorn on a free port, logged in
through the real form, driven by client threads in interleaved rounds (so a burst of load from
elsewhere on a shared machine falls on every page alike)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    db_url: str, redis_url: str, workdir: Path, prefix: str, secret: str
) -> tuple[subprocess.Popen, int]:
    """Two gunicorn workers serving the app on a free port, once /healthz answers."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        LEADERBOARD_PREFIX=prefix,
        SECRET_KEY=secret,
        UPLOAD_FOLDER=str(workdir / "uploads"),
        COMMUNITY_ENV="development",
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers", "2",
            "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "ab"),  # noqa: SIM115
    )  # fmt: skip
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")


def login(port: int, email: str, password: str) -> str:
    """Log in through the real form (CSRF and all); returns the Cookie header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not token:
        raise RuntimeError("no CSRF token on the login page")
    body = f"csrf_token={token.group(1)}&email={email}&password={password}"
    connection.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    response = connection.getresponse()
    response.read()
    cookies.update(_cookies(response))
    if response.status != 302:
        raise RuntimeError(f"bench login failed ({response.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def drive(port: int, path: str, cookie: str, seconds: float, threads: int) -> tuple[int, float]:
    """(responses, seconds taken) of `threads` clients driving `path` for `seconds`; every
    response must be a 200."""
    stop = time.perf_counter() + seconds
    counts = [0] * threads
    errors: list[str] = []

    def client(n: int) -> None:  # a persistent connection, reopened when the server closes it
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                continue
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
                return
            counts[n] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts), time.perf_counter() - started


HTTP_ROUNDS = 5


def interleaved_rates(
    port: int, pages: dict[str, str], cookie: str, seconds: float, threads: int
) -> dict[str, float]:
    """Requests per second of each page, measured in HTTP_ROUNDS rounds that take the pages in
    turn (seconds / HTTP_ROUNDS each): a burst of load from elsewhere on a shared machine then
    falls on every page alike instead of on whichever page happened to be measured then."""
    counts = dict.fromkeys(pages, 0)
    taken = dict.fromkeys(pages, 0.0)
    for _ in range(HTTP_ROUNDS):
        for name, path in pages.items():
            count, elapsed = drive(port, path, cookie, seconds / HTTP_ROUNDS, threads)
            counts[name] += count
            taken[name] += elapsed
    return {name: counts[name] / taken[name] for name in pages}
