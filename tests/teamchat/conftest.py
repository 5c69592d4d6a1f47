"""Team chat tests: a real HTTP receiver on 127.0.0.1 standing in for the platforms (it records
every request and answers what the test tells it to), and robots set up through the services."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from community.accounts.models import Department, User
from community.teamchat import services
from community.teamchat.models import ChatRobot, Platform

OK = {"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}
DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
FEISHU_SECRET = "f3iShuS3cretV4lue"


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """What the platforms' servers would see. `answers` are given out in order, one per request
    ((status, JSON body)); when they run out every request is answered 200 with `OK`."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answers: deque[tuple[int, Any]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *answers: tuple[int, Any]) -> None:
        self.answers.extend(answers)

    def next_answer(self) -> tuple[int, Any]:
        with self.lock:
            return self.answers.popleft() if self.answers else (200, OK)

    def webhook(self, platform: Platform, token: str = "t0ken") -> str:
        """A webhook address of `platform`'s shape, on this receiver."""
        if platform == Platform.WECOM:
            return f"{self.url}/cgi-bin/webhook/send?key={token}"
        if platform == Platform.DINGTALK:
            return f"{self.url}/robot/send?access_token={token}"
        return f"{self.url}/open-apis/bot/v2/hook/{token}"


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            with receiver.lock:
                receiver.requests.append(
                    Received(
                        path=parts.path,
                        query={k: v[0] for k, v in parse_qs(parts.query).items()},
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=json.loads(raw.decode("utf-8")) if raw else {},
                    )
                )
            status, answer = receiver.next_answer()
            payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Receiver("")))
    found = Receiver(f"http://127.0.0.1:{server.server_port}")
    server.RequestHandlerClass = _handler(found)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


def make_robot(
    hr: User,
    receiver: Receiver,
    platform: Platform = Platform.WECOM,
    department: Department | None = None,
    **overrides: Any,
) -> ChatRobot:
    """A robot on `receiver`, set up by HR through the service (signed where the platform signs)."""
    secret = {Platform.DINGTALK: DINGTALK_SECRET, Platform.FEISHU: FEISHU_SECRET}.get(platform, "")
    values: dict[str, Any] = {
        "name": f"{platform.value} group",
        "platform": platform.value,
        "department_id": department.id if department else None,
        "webhook_url": receiver.webhook(platform),
        "secret": secret,
    }
    values.update(overrides)
    return services.add_robot(hr, services.RobotFields(**values))
