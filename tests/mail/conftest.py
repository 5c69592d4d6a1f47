"""A real SMTP server on loopback (aiosmtpd) that the app sends to, and that a test can stop
and start again on the same port; what it received is read back as parsed messages."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd's handler: keeps every message it accepts; refuses recipients in `refuse`."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(raw, policy=default)  # type: ignore[misc]
            for _sender, _to, raw in self.inbox.received
        ]

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return [(sender, to) for sender, to, _raw in self.inbox.received]


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A running SMTP server the app's MAIL_* settings point at (restored after the test)."""
    server = SmtpServer()
    server.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    yield server
    server.stop()


def body(message: EmailMessage, subtype: str) -> str:
    """The text/`subtype` part of a received message."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())
