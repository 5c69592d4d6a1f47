"""Webhook tests: a real HTTP receiver on 127.0.0.1 that verifies every delivery with
`standardwebhooks` as an ATS would, an ATS source set up through the services, and a helper
that signs and posts inbound events as an ATS would."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from community.accounts.models import User
from community.webhooks import services
from community.webhooks.models import AtsSource


@dataclass
class Received:
    headers: dict[str, str]
    body: dict[str, Any]
    verified: bool


@dataclass
class Receiver:
    """An endpoint's server. It checks each request's signature with `secret` (set once the
    endpoint exists) and answers `answers` in order ((status, text)), then 200 "ok"."""

    url: str
    secret: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: deque[tuple[int, str]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *answers: tuple[int, str]) -> None:
        self.answers.extend(answers)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                Webhook(receiver.secret).verify(raw, headers)
                verified = True
            except WebhookVerificationError:
                verified = False
            with receiver.lock:
                receiver.requests.append(Received(headers, json.loads(raw), verified))
                status, text = receiver.answers.popleft() if receiver.answers else (200, "ok")
            body = text.encode()
            self.send_response(status if verified else 401)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    found.url = f"http://127.0.0.1:{server.server_port}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(app: Flask) -> Iterator[None]:
    """Endpoints on this machine allowed (the receiver listens on 127.0.0.1)."""
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    yield
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False


@dataclass
class Ats:
    """The ATS side of a source: its secret and a way to post signed events."""

    source: AtsSource
    secret: str
    client: Any
    count: int = 0

    def post(
        self,
        application_id: str,
        stage: str,
        *,
        event_id: str | None = None,
        at: datetime | None = None,
        secret: str | None = None,
        slug: str | None = None,
        body: bytes | None = None,
        **data: Any,
    ) -> Any:
        self.count += 1
        event_id = event_id or f"evt_{self.count}"
        payload = {
            "type": "application.stage_changed",
            "data": {"application_id": application_id, "stage": stage, **data},
        }
        raw = body if body is not None else json.dumps(payload).encode()
        when = at or datetime.now(UTC)
        signature = Webhook(secret or self.secret).sign(event_id, when, raw)
        return self.client.post(  # no CSRF token: the route is exempt, signed instead
            f"/webhooks/ats/{slug or self.source.slug}",
            csrf=False,
            data=raw,
            headers={
                "content-type": "application/json",
                "webhook-id": event_id,
                "webhook-timestamp": str(int(when.timestamp())),
                "webhook-signature": signature,
            },
        )


@pytest.fixture
def ats(hr: User, client: Any) -> Ats:
    source, secret = services.create_source(hr, "Greenhouse", "greenhouse", "greenhouse")
    return Ats(source, secret, client)
