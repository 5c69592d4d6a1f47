"""The worker posts queued messages to a real HTTP receiver on 127.0.0.1: each platform's body
and signature as the receiving side checks them, retries after the waits with the clock moved,
failures by HTTP status and by the platform's own error code, the pace per robot, a robot
switched off, and HR's test message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask

from community.core.time import utcnow
from community.extensions import db
from community.teamchat import sending, services
from community.teamchat.models import ChatDelivery, DeliveryStatus, Platform, PostKind
from community.teamchat.platforms import Message
from community.worker import duties
from tests.teamchat.conftest import DINGTALK_SECRET, FEISHU_SECRET, Receiver, make_robot

MESSAGE = Message(
    title="Announcement: New referral bonus",
    lines=("From January the joining bonus is paid on the first day.",),
    link="http://127.0.0.1:5000/thanks/",
    link_text="Read it on the thanks wall",
    locale="en",
)


def queued(robot, key: str = "announcement:1", at: datetime | None = None) -> ChatDelivery:
    services.queue(robot, PostKind.ANNOUNCEMENT, key, MESSAGE, at or utcnow())
    db.session.commit()
    return db.session.scalars(db.select(ChatDelivery).where(ChatDelivery.source_key == key)).one()


def fresh(delivery: ChatDelivery) -> ChatDelivery:
    db.session.expire_all()
    return db.session.get(ChatDelivery, delivery.id)


def _b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def test_wecom_gets_markdown_without_a_signature(hr, receiver: Receiver) -> None:
    delivery = queued(make_robot(hr, receiver, Platform.WECOM))
    assert sending.send_due(utcnow()) == 1
    (request,) = receiver.requests
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query == {"key": "t0ken"}
    assert request.headers["content-type"].startswith("application/json")
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**Announcement: New referral bonus**\n"
            "From January the joining bonus is paid on the first day.\n"
            "[Read it on the thanks wall](http://127.0.0.1:5000/thanks/)"
        },
    }
    done = fresh(delivery)
    assert (done.status, done.attempts, done.last_error) == (DeliveryStatus.SENT, 1, None)
    assert done.sent_at is not None


def test_dingtalk_gets_markdown_signed_in_the_query(hr, receiver: Receiver) -> None:
    delivery = queued(make_robot(hr, receiver, Platform.DINGTALK))
    now = utcnow()
    sending.send_due(now)
    (request,) = receiver.requests
    assert request.path == "/robot/send"
    assert request.query["access_token"] == "t0ken"
    timestamp = request.query["timestamp"]
    assert abs(int(timestamp) / 1000 - (now - datetime(1970, 1, 1)).total_seconds()) < 1
    assert request.query["sign"] == _b64_hmac(
        DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode()
    )
    assert request.body["msgtype"] == "markdown"
    assert request.body["markdown"]["title"] == MESSAGE.title
    assert (
        "[Read it on the thanks wall](http://127.0.0.1:5000/thanks/)"
        in (request.body["markdown"]["text"])
    )
    assert fresh(delivery).status == DeliveryStatus.SENT


def test_feishu_gets_a_post_signed_in_the_body(hr, receiver: Receiver) -> None:
    delivery = queued(make_robot(hr, receiver, Platform.FEISHU))
    sending.send_due(utcnow())
    (request,) = receiver.requests
    assert request.path == "/open-apis/bot/v2/hook/t0ken"
    body = request.body
    assert body["sign"] == _b64_hmac(f"{body['timestamp']}\n{FEISHU_SECRET}".encode(), b"")
    assert body["msg_type"] == "post"
    assert body["content"]["post"]["en_us"]["title"] == MESSAGE.title
    assert body["content"]["post"]["en_us"]["content"][-1] == [
        {"tag": "a", "text": "Read it on the thanks wall", "href": "http://127.0.0.1:5000/thanks/"}
    ]
    assert fresh(delivery).status == DeliveryStatus.SENT


def test_a_failing_platform_is_tried_again_after_each_wait(hr, receiver: Receiver) -> None:
    """Down (HTTP 500), then rate-limited (errcode 45009 in a 200), then fine: three tries,
    a minute and five minutes apart, each signed anew."""
    receiver.answer((500, {"error": "down"}), (200, {"errcode": 45009, "errmsg": "freq limit"}))
    start = datetime(2026, 12, 3, 2, 0, 0)
    with time_machine.travel(start, tick=False):
        robot = make_robot(hr, receiver, Platform.DINGTALK)
        delivery = queued(robot, at=start)
        assert duties.run_due()["teamchat.send"] == 1
    first = fresh(delivery)
    assert (first.status, first.attempts) == (DeliveryStatus.QUEUED, 1)
    assert first.last_error == "HTTP 500"
    assert first.next_attempt_at == start + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert duties.run_due()["teamchat.send"] == 0  # not yet
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert duties.run_due()["teamchat.send"] == 1
    second = fresh(delivery)
    assert (second.status, second.attempts) == (DeliveryStatus.QUEUED, 2)
    assert second.last_error == "45009 freq limit"
    assert second.next_attempt_at == start + timedelta(minutes=6)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert duties.run_due()["teamchat.send"] == 1
        assert duties.run_due()["teamchat.send"] == 0  # sent once
    done = fresh(delivery)
    assert (done.status, done.attempts, done.last_error) == (DeliveryStatus.SENT, 3, None)
    assert done.sent_at == start + timedelta(minutes=6)
    stamps = [request.query["timestamp"] for request in receiver.requests]
    assert len(stamps) == 3 and len(set(stamps)) == 3


def test_a_worker_that_was_down_catches_up(hr, receiver: Receiver) -> None:
    receiver.answer((503, {}))
    start = datetime(2026, 12, 3, 2, 0, 0)
    with time_machine.travel(start, tick=False):
        delivery = queued(make_robot(hr, receiver), at=start)
        sending.send_due(utcnow())
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        assert sending.send_due(utcnow()) == 1
    assert fresh(delivery).status == DeliveryStatus.SENT


def test_when_every_try_fails_the_message_is_marked_failed(
    app: Flask, hr, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TEAMCHAT_RETRY_MINUTES", "1, 2")
    receiver.answer(*[(200, {"errcode": 310000, "errmsg": "sign not match"})] * 5)
    start = datetime(2026, 12, 3, 2, 0, 0)
    with time_machine.travel(start, tick=False) as clock:
        delivery = queued(make_robot(hr, receiver, Platform.DINGTALK), at=start)
        for _minute in range(10):
            sending.send_due(utcnow())
            clock.shift(timedelta(minutes=1))
    failed = fresh(delivery)
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 3)
    assert failed.last_error == "310000 sign not match"
    assert failed.finished_at is not None
    assert len(receiver.requests) == 3


def test_an_unreachable_platform_is_a_failure(hr, receiver: Receiver) -> None:
    robot = make_robot(hr, receiver, webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x")
    delivery = queued(robot)
    sending.send_due(utcnow())
    assert fresh(delivery).last_error == "Could not reach the platform (ConnectError)."


def test_one_robot_posts_only_so_many_a_minute(
    app: Flask, hr, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TEAMCHAT_PER_ROBOT_PER_MINUTE", 2)
    busy, quiet = make_robot(hr, receiver, name="busy"), make_robot(hr, receiver, name="quiet")
    for n in range(3):
        queued(busy, key=f"announcement:{n}")
    queued(quiet, key="announcement:9")
    assert sending.send_due(utcnow()) == 3  # two of the busy robot's, the quiet one's
    assert sending.send_due(utcnow()) == 1


def test_a_message_taken_by_one_worker_is_not_posted_by_another(hr, receiver: Receiver) -> None:
    delivery = queued(make_robot(hr, receiver))
    now = utcnow()
    assert sending.claim(delivery.id, now)
    assert not sending.claim(delivery.id, now)
    assert sending.send_due(now) == 0
    assert receiver.requests == []
    # Should that worker never come back, the lease runs out and the message goes.
    assert sending.send_due(now + sending.LEASE) == 1


def test_switching_a_robot_off_drops_what_waits(hr, receiver: Receiver) -> None:
    robot = make_robot(hr, receiver)
    delivery = queued(robot)
    services.switch_robot(hr, robot.id, False)
    assert fresh(delivery).status == DeliveryStatus.DROPPED
    assert sending.send_due(utcnow() + timedelta(hours=1)) == 0
    assert receiver.requests == []


def test_the_test_message_is_posted_at_once_and_tried_once(hr, receiver: Receiver) -> None:
    robot = make_robot(hr, receiver, Platform.FEISHU, name="HR group")
    sent = services.send_test(hr, robot.id)
    assert sent.status == DeliveryStatus.SENT
    (request,) = receiver.requests
    content = request.body["content"]["post"]["en_us"]
    assert content["title"] == "Test message from Referral Community"
    assert "“HR group”" in content["content"][0][0]["text"]
    receiver.answer((200, {"code": 19021, "msg": "sign match fail"}))
    failed = services.send_test(hr, robot.id)
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 1)
    assert failed.last_error == "19021 sign match fail"


def test_in_development_messages_go_to_the_outbox(
    app: Flask, hr, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(app.config, "TEAMCHAT_OUTBOX", str(tmp_path))
    delivery = queued(make_robot(hr, receiver, Platform.DINGTALK))
    assert sending.send_due(utcnow()) == 1
    assert receiver.requests == []
    (written,) = tmp_path.glob("*.json")
    record = json.loads(written.read_text(encoding="utf-8"))
    assert record["body"]["msgtype"] == "markdown"
    assert "t0ken" not in record["url"]  # the token is cut short
    assert fresh(delivery).status == DeliveryStatus.SENT
