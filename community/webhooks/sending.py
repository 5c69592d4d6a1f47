"""Sending the queued deliveries: the worker's duty `webhooks.deliver`, and HR's replay.

One try is claim → send → record, as team chat's (`teamchat.sending`):

- **claim**: one UPDATE counts the try and moves `next_attempt_at` a lease ahead while the
  delivery is queued and due, committed before anything is sent (no transaction open while an
  endpoint answers; a second worker finds it taken).
- **send**: httpx POST with a timeout and no redirects, the body signed at the try with the
  endpoint's secret (Standard Webhooks: `webhook-id` the delivery's `message_id`, the same on
  every retry and replay, `webhook-timestamp` now, `webhook-signature`). The address is checked
  again (`safety.check_url`) before each try. A 2xx is sent; anything else fails.
- **record**: a `DeliveryAttempt` (status code, the answer's first 500 characters, duration);
  then sent, or queued again after the next wait of WEBHOOKS_RETRY_MINUTES (1, 5, 30, 120, 720),
  or failed once those are used up.

A worker that stops between sending and recording lets the lease run out: at least once.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from community.core.time import utcnow
from community.extensions import db
from community.webhooks import crypto
from community.webhooks.errors import WebhookError
from community.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint
from community.webhooks.safety import check_url

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
SCAN = 200  # due deliveries looked at per tick
ANSWER_KEPT = 500


def retry_waits() -> list[timedelta]:
    """The waits before each retry (WEBHOOKS_RETRY_MINUTES)."""
    text = str(current_app.config.get("WEBHOOKS_RETRY_MINUTES", ""))
    return [timedelta(minutes=float(p)) for p in text.replace(";", ",").split(",") if p.strip()]


def due(now: datetime) -> list[int]:
    """The deliveries due by `now` for enabled endpoints, oldest first."""
    return list(
        db.session.scalars(
            select(Delivery.id)
            .join(Endpoint, Endpoint.id == Delivery.endpoint_id)
            .where(
                Delivery.status == DeliveryStatus.QUEUED,
                Delivery.next_attempt_at <= now,
                Endpoint.enabled.is_(True),
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(SCAN)
        )
    )


def claim(delivery_id: int, now: datetime) -> bool:
    """Take one try of the delivery, if it is still queued and due (committed at once)."""
    result = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.QUEUED,
            Delivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE, attempts=Delivery.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def signed_headers(secret: str, message_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of `body` signed with `secret` at `at` (naive UTC)."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp() if at.tzinfo else _epoch(at))),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def _epoch(naive_utc: datetime) -> float:
    return (naive_utc - datetime(1970, 1, 1)).total_seconds()


def send(delivery: Delivery) -> tuple[int | None, str, int]:
    """Post `delivery` once: (HTTP status or None, the answer or the error, milliseconds)."""
    endpoint = delivery.endpoint
    secret = crypto.decrypt(endpoint.encrypted_secret)
    if secret is None:
        return None, "The endpoint's secret cannot be read (SECRET_KEY changed): make a new one.", 0
    try:
        check_url(endpoint.url, resolve_required=True)
    except WebhookError as refusal:
        return None, refusal.message, 0
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signed_headers(secret, delivery.message_id, body, utcnow())
    timeout = float(current_app.config.get("WEBHOOKS_TIMEOUT_SECONDS", 5))
    started = time.monotonic()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(endpoint.url, content=body, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return None, f"{type(exc).__name__}: {exc}"[:ANSWER_KEPT], elapsed
    elapsed = int((time.monotonic() - started) * 1000)
    return response.status_code, response.text[:ANSWER_KEPT], elapsed


def record(
    delivery_id: int, outcome: tuple[int | None, str, int], now: datetime, *, replay: bool
) -> DeliveryStatus:
    """Write the try and the delivery's new state under its row lock; committed. A replay that
    fails leaves the delivery as it was (queued keeps its schedule, failed stays failed)."""
    status_code, answer, elapsed = outcome
    delivery = db.session.scalars(
        select(Delivery)
        .where(Delivery.id == delivery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    db.session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            at=now,
            status_code=status_code,
            response=answer[:ANSWER_KEPT] or None,
            duration_ms=elapsed,
            replay=replay,
        )
    )
    ok = status_code is not None and 200 <= status_code < 300
    waits = retry_waits()
    if ok:
        delivery.status, delivery.finished_at = DeliveryStatus.SENT, now
    elif replay:
        pass
    elif delivery.attempts > len(waits):
        delivery.status, delivery.finished_at = DeliveryStatus.FAILED, now
    else:
        delivery.next_attempt_at = now + waits[delivery.attempts - 1]
    if not ok:
        logger.warning(
            "webhooks: delivery %s to endpoint %s, try %s: %s %s",
            delivery.id,
            delivery.endpoint_id,
            delivery.attempts,
            status_code,
            answer[:120],
        )
    status = delivery.status
    db.session.commit()
    return status


def try_delivery(delivery_id: int, now: datetime) -> bool:
    """One try of one delivery, if it is still due. Whether it was tried."""
    if not claim(delivery_id, now):
        return False
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    if delivery is None:
        return False
    try:
        outcome = send(delivery)
    except Exception as exc:  # never leave a claimed delivery without its outcome
        logger.exception("webhooks: delivery %s could not be sent", delivery_id)
        outcome = (None, type(exc).__name__, 0)
    record(delivery_id, outcome, now, replay=False)
    return True


def replay(delivery: Delivery) -> DeliveryStatus:
    """HR's replay: one more try now of the same event (same `webhook-id`), recorded as a
    replay; a success marks the delivery sent."""
    outcome = send(delivery)
    return record(delivery.id, outcome, utcnow(), replay=True)


def deliver_due(now: datetime) -> int:
    """The worker's duty: one try of every delivery due by `now`. Returns how many were tried."""
    return sum(try_delivery(delivery_id, now) for delivery_id in due(now))
