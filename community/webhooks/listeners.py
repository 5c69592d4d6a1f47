"""What leaves for the endpoints HR registered. Each listener only adds `Delivery` rows inside
the publisher's transaction and never commits: a move that rolls back sends nothing. The worker
sends them (`webhooks.sending`).

The payloads are minimal on purpose (docs/ats-sync.md): ids, the stage, the job, times, and the
ATS's application id when HR linked one; never a referral's reasons, notes or feedback. The
candidate's name and e-mail go only to an endpoint where HR ticked "include candidate contact"
(an ATS that creates the candidate from our referral needs them; one that already has the
application, or a payroll system, does not). `payout.due` (a bonus HR approved for payment)
names the referrer, who is an employee, and the amount: what payroll needs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from community import events
from community.extensions import db
from community.referrals.models import Referral
from community.webhooks.models import ApplicationLink, Delivery, Endpoint, EventType


def _iso(at: datetime) -> str:
    """A UTC time as ISO 8601 with "Z" (stored times are naive UTC)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.replace(microsecond=0).isoformat() + "Z"


def _application_ids(referral_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(ApplicationLink.application_id)
            .where(ApplicationLink.referral_id == referral_id)
            .order_by(ApplicationLink.id)
        )
    )


def _contact(referral_id: int) -> dict[str, Any]:
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        return {}
    return {"candidate": {"name": referral.candidate.name, "email": referral.candidate.email}}


def queue(event_type: EventType, key: str, data: dict[str, Any], at: datetime) -> int:
    """Add one delivery of `data` for every enabled endpoint that takes `event_type` (once per
    endpoint and `key`). Returns how many were queued."""
    endpoints = [
        e for e in db.session.scalars(select(Endpoint).order_by(Endpoint.id)) if e.takes(event_type)
    ]
    queued = 0
    for endpoint in endpoints:
        exists = db.session.scalar(
            select(Delivery.id).where(
                Delivery.endpoint_id == endpoint.id, Delivery.source_key == key
            )
        )
        if exists:
            continue
        body = dict(data)
        if (
            endpoint.include_contact
            and "referral_id" in data
            and event_type != EventType.PAYOUT_DUE
        ):
            body |= _contact(data["referral_id"])
        db.session.add(
            Delivery(
                endpoint_id=endpoint.id,
                event_type=event_type,
                message_id=f"msg_{uuid.uuid4().hex}",
                source_key=key,
                payload={"type": event_type.value, "timestamp": _iso(at), "data": body},
                next_attempt_at=at,
            )
        )
        queued += 1
    return queued


def referral_submitted(event: events.ReferralSubmitted) -> None:
    data = {
        "referral_id": event.referral_id,
        "job_id": event.job_id,
        "job_title": event.job_title,
        "stage": "submitted",
        "source": event.source,
        "submitted_at": _iso(event.at),
    }
    queue(EventType.SUBMITTED, f"submitted:{event.referral_id}", data, event.at)


def stage_advanced(event: events.StageAdvanced) -> None:
    data = {
        "referral_id": event.referral_id,
        "application_ids": _application_ids(event.referral_id),
        "job_id": event.job_id,
        "job_title": event.job_title,
        "from_stage": event.from_stage.value,
        "stage": event.to_stage.value,
        "reason_code": event.reason_code,
        "changed_at": _iso(event.at),
    }
    key = f"stage:{event.referral_id}:{event.to_stage.value}"
    queue(EventType.STAGE_CHANGED, key, data, event.at)


def hire_confirmed(event: events.HireConfirmed) -> None:
    data = {
        "referral_id": event.referral_id,
        "application_ids": _application_ids(event.referral_id),
        "job_id": event.job_id,
        "hired_on": event.hired_on.isoformat(),
        "start_date": event.start_date.isoformat() if event.start_date else None,
    }
    queue(EventType.HIRED, f"hired:{event.referral_id}", data, event.at)


def payout_changed(event: events.PayoutChanged) -> None:
    if event.status != "approved":  # due: approved by HR, to be paid by payroll
        return
    data = {
        "payout_id": event.payout_id,
        "referral_id": event.referral_id,
        "referrer_id": event.referrer_id,
        "stage": event.stage.value,
        "amount_minor": event.amount_minor,
        "currency": event.currency,
        "approved_at": _iso(event.at),
    }
    queue(EventType.PAYOUT_DUE, f"payout:{event.payout_id}:due", data, event.at)


def init_app() -> None:
    events.subscribe(events.ReferralSubmitted, referral_submitted)
    events.subscribe(events.StageAdvanced, stage_advanced)
    events.subscribe(events.HireConfirmed, hire_confirmed)
    events.subscribe(events.PayoutChanged, payout_changed)
