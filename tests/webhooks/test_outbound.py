"""Outbound webhooks: listeners queue inside the transaction, the worker's duty sends signed
requests to a real receiver on 127.0.0.1, retries with backoff as the clock moves, HR replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.pipeline import Stage
from community.referrals.errors import ReferralError
from community.referrals.services import advance_stage
from community.webhooks import services
from community.webhooks.errors import WebhookError
from community.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint
from community.webhooks.sending import deliver_due, replay
from community.worker import duties
from tests.referrals.factories import make_referral
from tests.webhooks.conftest import Receiver

ALL = ("referral.submitted", "referral.stage_changed", "referral.hired", "payout.due")


def _endpoint(hr: User, receiver: Receiver, **overrides) -> Endpoint:  # type: ignore[no-untyped-def]
    values = {"name": "ATS", "url": receiver.url, "events": ALL} | overrides
    endpoint, secret = services.add_endpoint(hr, services.EndpointFields(**values))
    receiver.secret = secret
    return endpoint


def _deliveries() -> list[Delivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(Delivery).order_by(Delivery.id)))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.mark.usefixtures("loopback")
def test_a_move_is_queued_then_sent_signed_to_the_receiver(hr: User, receiver: Receiver) -> None:
    _endpoint(hr, receiver)
    referral = make_referral()
    advance_stage(referral, Stage.SCREENING, hr)
    queued = _deliveries()
    assert [d.event_type.value for d in queued] == ["referral.submitted", "referral.stage_changed"]
    assert all(d.status == DeliveryStatus.QUEUED for d in queued)
    assert duties.run_due(_now())["webhooks.deliver"] == 2
    assert [r.verified for r in receiver.requests] == [True, True]
    changed = receiver.requests[1].body
    assert changed["type"] == "referral.stage_changed"
    assert changed["data"]["referral_id"] == referral.id
    assert changed["data"]["stage"] == "screening"
    assert "candidate" not in changed["data"]  # no personal data unless HR asked for it
    assert receiver.requests[1].headers["webhook-id"] == queued[1].message_id
    sent = _deliveries()
    assert [d.status for d in sent] == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    attempt = db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)).first()
    assert (attempt.status_code, attempt.response) == (200, "ok")
    # Sent once: the next tick finds nothing due.
    assert deliver_due(_now() + timedelta(minutes=5)) == 0


@pytest.mark.usefixtures("loopback")
def test_candidate_contact_only_when_ticked(hr: User, receiver: Receiver) -> None:
    _endpoint(hr, receiver, include_contact=True, events=("referral.submitted",))
    referral = make_referral()
    deliver_due(_now())
    assert receiver.requests[0].body["data"]["candidate"]["name"] == referral.candidate.name


@pytest.mark.usefixtures("loopback")
def test_a_refused_move_queues_nothing(hr: User, receiver: Receiver) -> None:
    _endpoint(hr, receiver, events=("referral.stage_changed",))
    referral = make_referral()
    with pytest.raises(ReferralError):
        advance_stage(referral, Stage.HIRED, hr)  # not a step a submitted referral may take
    assert _deliveries() == []


@pytest.mark.usefixtures("loopback")
def test_failures_retry_after_1_5_30_120_720_minutes_then_fail(
    hr: User, receiver: Receiver
) -> None:
    _endpoint(hr, receiver, events=("referral.submitted",))
    receiver.answer(*[(500, "down")] * 6)
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        make_referral()
    waits = [0, 1, 5, 30, 120, 720]
    elapsed = 0
    for number, wait in enumerate(waits, start=1):
        elapsed += wait
        at = start + timedelta(minutes=elapsed)
        with time_machine.travel(at - timedelta(seconds=30), tick=False):
            if number > 1:  # not yet due half a minute before its time
                assert deliver_due(_now()) == 0
        with time_machine.travel(at, tick=False):
            assert deliver_due(_now()) == 1
        delivery = _deliveries()[0]
        assert delivery.attempts == number
    assert delivery.status == DeliveryStatus.FAILED
    assert len(receiver.requests) == 6
    # Every try carried the same webhook-id, signed afresh.
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    assert all(r.verified for r in receiver.requests)
    tries = db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)).all()
    assert [(t.status_code, t.response) for t in tries] == [(500, "down")] * 6

    # HR replays it: a new attempt of the same event, which the receiver now takes.
    assert replay(delivery) == DeliveryStatus.SENT
    assert receiver.requests[-1].headers["webhook-id"] == delivery.message_id
    last = db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id.desc())).first()
    assert (last.status_code, last.replay) == (200, True)


@pytest.mark.usefixtures("loopback")
def test_an_unreachable_endpoint_is_an_attempt_without_status(hr: User, receiver: Receiver) -> None:
    endpoint = _endpoint(hr, receiver, events=("referral.submitted",))
    endpoint.url = "http://127.0.0.1:9/closed"
    db.session.commit()
    make_referral()
    assert deliver_due(_now()) == 1
    attempt = db.session.scalars(select(DeliveryAttempt)).one()
    assert attempt.status_code is None
    assert "Connect" in (attempt.response or "")
    assert _deliveries()[0].status == DeliveryStatus.QUEUED


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
        "https://user:pw@93.184.215.14/hook",
    ],
)
def test_private_and_odd_addresses_are_refused(hr: User, url: str) -> None:
    with pytest.raises(WebhookError) as refused:
        services.add_endpoint(hr, services.EndpointFields("x", url, ("referral.hired",)))
    assert refused.value.field == "url"
    assert db.session.scalars(select(Endpoint)).first() is None


def test_a_public_address_is_taken_and_a_private_one_with_the_flag(app: Flask, hr: User) -> None:
    fields = services.EndpointFields("x", "https://93.184.215.14/hook", ("referral.hired",))
    assert services.add_endpoint(hr, fields)[0].id
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    try:
        local = services.EndpointFields("y", "http://127.0.0.1:8000/hook", ("referral.hired",))
        assert services.add_endpoint(hr, local)[0].id
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = False


def test_no_events_is_refused(hr: User) -> None:
    with pytest.raises(WebhookError) as refused:
        services.add_endpoint(hr, services.EndpointFields("x", "https://93.184.215.14/", ()))
    assert refused.value.field == "events"
    with pytest.raises(WebhookError):
        fields = services.EndpointFields("x", "https://93.184.215.14/", ("referral.deleted",))
        services.add_endpoint(hr, fields)


@pytest.mark.usefixtures("loopback")
def test_hired_and_payout_due(hr: User, receiver: Receiver) -> None:
    from community.payouts.models import Payout
    from community.payouts.services import approve_payout
    from tests.payouts.factories import TO_HIRED
    from tests.pipeline import walk

    _endpoint(hr, receiver, events=("referral.hired", "payout.due"))
    referral = make_referral()
    walk(referral, hr, *TO_HIRED)
    assert [d.event_type.value for d in _deliveries()] == ["referral.hired"]
    payout = db.session.scalars(select(Payout).where(Payout.referral_id == referral.id)).one()
    approve_payout(payout, hr)
    due = _deliveries()[-1]
    assert due.event_type.value == "payout.due"
    assert due.payload["data"]["amount_minor"] == payout.amount_minor
    assert "candidate" not in due.payload["data"]  # payroll needs the referrer, not the candidate
    deliver_due(_now())
    assert [r.body["type"] for r in receiver.requests] == ["referral.hired", "payout.due"]


def test_the_inbound_route_is_rate_limited(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    app.config["WEBHOOKS_INBOUND_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [
            client.post("/webhooks/ats/nobody", data=b"{}", csrf=False).status_code
            for _ in range(3)
        ]
    finally:
        app.config["WEBHOOKS_INBOUND_RATE_LIMIT"] = "120 per minute"
    assert codes == [404, 404, 429]
