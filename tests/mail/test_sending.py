"""The worker sends the outbox to a real SMTP server on loopback: what arrives (plain text,
HTML, headers), retries with growing pauses while the server is down (the clock moved with
time-machine, never slept), a cap on tries, a refusal for good, and never twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask

from community.core.time import utcnow
from community.extensions import db
from community.mail import outbox, sending
from community.mail.models import EmailStatus, OutboundEmail
from community.worker import duties
from tests.mail.conftest import SmtpServer, body


def _queue(to: str = "ann@example.com", **extra: object) -> OutboundEmail:
    subject, text, html = outbox.render(
        "notice",
        "en",
        subject="Your referral moved",
        lines=["Screening <now>"],
        link="https://x.test/r/1",
    )
    email = outbox.queue(to, subject, text, html, kind="test", **extra)  # type: ignore[arg-type]
    db.session.commit()
    return email


def _reload(email: OutboundEmail) -> OutboundEmail:
    db.session.expire_all()
    found = db.session.get(OutboundEmail, email.id)
    assert found is not None
    return found


def test_the_worker_delivers_text_html_and_headers(smtp: SmtpServer) -> None:
    email = _queue(headers={"X-Referral": "1"})
    assert "mail.send" in [duty.name for duty in duties.registered()]
    assert duties.run_due()["mail.send"] == 1
    [message] = smtp.messages
    assert smtp.envelopes == [("referrals@example.com", ["ann@example.com"])]
    assert message["Subject"] == "Your referral moved"
    assert message["To"] == "ann@example.com"
    assert message["From"] == "Referral Community <referrals@example.com>"
    assert message["X-Referral"] == "1"
    assert message["Message-ID"].startswith(f"<outbox.{email.id}.")
    assert "Screening <now>" in body(message, "plain")
    assert "Screening &lt;now&gt;" in body(message, "html")
    sent = _reload(email)
    assert (sent.status, sent.attempts, sent.last_error) == (EmailStatus.SENT, 1, None)
    assert sent.sent_at is not None
    assert duties.run_due()["mail.send"] == 0  # never twice
    assert len(smtp.messages) == 1


def test_chinese_subject_and_body_arrive_intact(smtp: SmtpServer) -> None:
    subject, text, html = outbox.render(
        "notice", "zh_CN", subject="您的内推有了进展", lines=["张伟 已进入面试"]
    )
    outbox.queue("ann@example.com", subject, text, html, kind="test")
    db.session.commit()
    sending.send_due(utcnow())
    [message] = smtp.messages
    assert message["Subject"] == "您的内推有了进展"
    assert "张伟 已进入面试" in body(message, "plain")


def test_a_rolled_back_mail_is_never_sent(smtp: SmtpServer) -> None:
    outbox.queue("ann@example.com", "Hello", "Text", kind="test")
    db.session.rollback()
    assert sending.send_due(utcnow()) == 0
    assert smtp.messages == []


def test_while_the_server_is_down_it_is_tried_again_later(smtp: SmtpServer) -> None:
    start = utcnow().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        email = _queue()
    smtp.stop()
    with time_machine.travel(start, tick=False):
        assert duties.run_due()["mail.send"] == 0
    waiting = _reload(email)
    assert waiting.status == EmailStatus.QUEUED
    assert waiting.attempts == 1
    assert "ConnectionRefusedError" in (waiting.last_error or "")
    assert waiting.next_attempt_at == start + timedelta(seconds=60)
    smtp.start()
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert duties.run_due()["mail.send"] == 0  # not due yet
    assert smtp.messages == []
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert duties.run_due()["mail.send"] == 1
    sent = _reload(email)
    assert (sent.status, sent.attempts, sent.last_error) == (EmailStatus.SENT, 2, None)
    assert len(smtp.messages) == 1


def test_the_pauses_grow_and_the_tries_are_capped(app: Flask, smtp: SmtpServer) -> None:
    start = utcnow().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        email = _queue()
    smtp.stop()
    moment, pauses = start, []
    for _try in range(app.config["MAIL_MAX_ATTEMPTS"]):
        with time_machine.travel(moment, tick=False):
            duties.run_due()
        row = _reload(email)
        if row.status == EmailStatus.QUEUED:
            pauses.append(int((row.next_attempt_at - moment).total_seconds()))
            moment = row.next_attempt_at
    failed = _reload(email)
    assert pauses == [60, 240, 960, 3840, 15360]
    assert (failed.status, failed.attempts) == (EmailStatus.FAILED, 6)
    smtp.start()
    with time_machine.travel(moment + timedelta(days=1), tick=False):
        assert duties.run_due()["mail.send"] == 0  # a failed mail is never tried again by itself
    assert smtp.messages == []


def test_an_unreachable_server_stops_the_tick_without_using_the_others_tries(
    smtp: SmtpServer,
) -> None:
    first, second = _queue("ann@example.com"), _queue("bob@example.com")
    smtp.stop()
    sending.send_due(utcnow())
    assert (_reload(first).attempts, _reload(second).attempts) == (1, 0)


def test_a_mailbox_refused_for_good_fails_at_once_and_the_others_go(smtp: SmtpServer) -> None:
    smtp.inbox.refuse.add("gone@example.com")
    gone, ann = _queue("gone@example.com"), _queue("ann@example.com")
    assert sending.send_due(utcnow()) == 1
    refused = _reload(gone)
    assert (refused.status, refused.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in (refused.last_error or "")
    assert _reload(ann).status == EmailStatus.SENT
    assert [to for _sender, to in smtp.envelopes] == [["ann@example.com"]]


def test_a_claimed_mail_is_not_sent_by_a_second_worker(smtp: SmtpServer) -> None:
    email = _queue()
    now = utcnow()
    assert sending.claim(email.id, now) is not None
    assert sending.claim(email.id, now) is None  # the other worker finds it taken
    assert sending.send_due(now) == 0
    # The first worker died before it sent: after the lease it is tried again.
    assert sending.send_due(now + sending.LEASE) == 1
    assert _reload(email).attempts == 2


def test_development_writes_mail_to_files(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_PATH", str(tmp_path / "outbox"))
    email = _queue()
    assert sending.send_due(utcnow()) == 1
    [written] = list((tmp_path / "outbox").iterdir())
    assert "Subject: Your referral moved" in written.read_text()
    assert _reload(email).status == EmailStatus.SENT


def test_the_default_configuration_sends_to_files_in_development_and_smtp_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from community.config import load_config

    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    monkeypatch.delenv("COMMUNITY_ENV", raising=False)
    development = load_config(tmp_path)
    assert development["MAIL_BACKEND"] == "file"
    assert development["MAIL_FILE_PATH"] == str(tmp_path / "outbox")
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert load_config(tmp_path)["MAIL_BACKEND"] == "smtp"


def test_the_outbox_reads_oldest_first() -> None:
    first, second = _queue("a@example.com"), _queue("b@example.com")
    assert sending.due_ids(utcnow(), 10) == [first.id, second.id]
    assert sending.due_ids(utcnow(), 1) == [first.id]  # at most a batch a tick
