"""Posting the queued messages: the worker's duty `teamchat.send`, and HR's test message.

One try is claim → post → record:

- **claim**: one UPDATE counts the try and moves `next_attempt_at` a lease ahead, only while
  the message is queued and due, and is committed before anything is posted. No transaction
  stays open while a platform answers, and a second worker ticking at once finds it taken.
- **post**: httpx with a timeout and no redirects; the body and its signature are made at the
  try (both platforms that sign want a fresh timestamp). The platform's answer decides: HTTP
  2xx and `errcode` 0 (WeCom, DingTalk) or `code` 0 (Feishu); anything else is a failure.
- **record**: sent; or queued again after the next wait of TEAMCHAT_RETRY_MINUTES; or failed
  once those are used up (a test message is tried once).

A worker that stops between posting and recording leaves the lease to run out, and the message
goes again: at least once, never lost. In development (TEAMCHAT_OUTBOX) the request is written
to a file instead of being posted.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from community.extensions import db
from community.teamchat.models import ChatDelivery, ChatRobot, DeliveryStatus, PostKind
from community.teamchat.platforms import Message, Request, build_request, masked_url, read_answer

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # longer than a try can take (the timeout), shorter than a wait
SCAN = 500  # due messages looked at per tick


def retry_waits() -> list[timedelta]:
    """The waits before each retry (TEAMCHAT_RETRY_MINUTES, "1, 5, 30, 120")."""
    text = str(current_app.config.get("TEAMCHAT_RETRY_MINUTES", ""))
    return [
        timedelta(minutes=float(part)) for part in text.replace(";", ",").split(",") if part.strip()
    ]


def due(now: datetime) -> list[int]:
    """The messages due by `now` for robots that are on, oldest first, at most
    TEAMCHAT_PER_ROBOT_PER_MINUTE per robot (the platforms limit each robot's pace)."""
    per_robot = int(current_app.config.get("TEAMCHAT_PER_ROBOT_PER_MINUTE", 10))
    rows = db.session.execute(
        select(ChatDelivery.id, ChatDelivery.robot_id)
        .join(ChatRobot, ChatRobot.id == ChatDelivery.robot_id)
        .where(
            ChatDelivery.status == DeliveryStatus.QUEUED,
            ChatDelivery.next_attempt_at <= now,
            ChatRobot.enabled.is_(True),
        )
        .order_by(ChatDelivery.next_attempt_at, ChatDelivery.id)
        .limit(SCAN)
    ).all()
    taken: Counter[int] = Counter()
    ids = []
    for delivery_id, robot_id in rows:
        if taken[robot_id] < per_robot:
            taken[robot_id] += 1
            ids.append(delivery_id)
    return ids


def claim(delivery_id: int, now: datetime) -> bool:
    """Take one try of the message, if it is still queued and due (committed at once)."""
    result = db.session.execute(
        update(ChatDelivery)
        .where(
            ChatDelivery.id == delivery_id,
            ChatDelivery.status == DeliveryStatus.QUEUED,
            ChatDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE, attempts=ChatDelivery.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def _to_outbox(folder: str, delivery: ChatDelivery, request: Request, now: datetime) -> None:
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%dT%H%M%S}-{delivery.id}-{delivery.robot.platform}.json"
    record = {"url": masked_url(request.url), "body": request.body}
    (path / name).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


def post(delivery: ChatDelivery, now: datetime) -> str | None:
    """Post `delivery` through its robot: None when the platform took it, else why not."""
    robot = delivery.robot
    message = Message.from_json(delivery.message)
    request = build_request(robot.platform, robot.webhook_url, robot.secret, message, now)
    outbox = current_app.config.get("TEAMCHAT_OUTBOX")
    if outbox:
        _to_outbox(str(outbox), delivery, request, now)
        return None
    timeout = float(current_app.config.get("TEAMCHAT_TIMEOUT_SECONDS", 5))
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(
                request.url,
                content=request.content(),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return _("Could not reach the platform (%(error)s).", error=type(exc).__name__)
    return read_answer(robot.platform, response.status_code, response.text)


def record(delivery_id: int, error: str | None, now: datetime) -> DeliveryStatus:
    """Write the try's outcome under the message's row lock; committed."""
    delivery = db.session.scalars(
        select(ChatDelivery)
        .where(ChatDelivery.id == delivery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if delivery.status != DeliveryStatus.QUEUED:  # dropped while it was being posted
        db.session.commit()
        return delivery.status
    waits = retry_waits()
    if error is None:
        delivery.status, delivery.sent_at, delivery.finished_at = DeliveryStatus.SENT, now, now
        delivery.last_error = None
    elif delivery.kind == PostKind.TEST or delivery.attempts > len(waits):
        delivery.status, delivery.finished_at = DeliveryStatus.FAILED, now
        delivery.last_error = error[:300]
    else:
        delivery.next_attempt_at = now + waits[delivery.attempts - 1]
        delivery.last_error = error[:300]
    status = delivery.status
    if error is not None:
        logger.warning(
            "team chat: delivery %s to robot %s, try %s: %s",
            delivery.id,
            delivery.robot_id,
            delivery.attempts,
            error,
        )
    db.session.commit()
    return status


def try_delivery(delivery_id: int, now: datetime) -> bool:
    """One try of one message, if it is still due: claim, post, record. Whether it was tried."""
    if not claim(delivery_id, now):
        return False
    delivery = db.session.get(ChatDelivery, delivery_id, populate_existing=True)
    if delivery is None:  # (removed with its robot meanwhile)
        return False
    try:
        error = post(delivery, now)
    except Exception as exc:  # never leave a claimed message without its outcome
        logger.exception("team chat: delivery %s could not be posted", delivery_id)
        error = type(exc).__name__
    record(delivery_id, error, now)
    return True


def send_due(now: datetime) -> int:
    """The worker's duty: one try of every message due by `now`. Returns how many were tried."""
    return sum(try_delivery(delivery_id, now) for delivery_id in due(now))
