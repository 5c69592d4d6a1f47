"""The demo's integrations: the Greenhouse-like source with its links and received events (one
ignored as late), and the outbound endpoint with deliveries waiting for the worker."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Delivery,
    DeliveryStatus,
    Endpoint,
    ReceivedEvent,
)


def test_a_source_an_endpoint_and_what_they_did(seeded: str) -> None:
    source = db.session.scalars(select(AtsSource)).one()
    assert (source.slug, len(source.mappings) > 10) == ("greenhouse", True)
    assert len(db.session.scalars(select(ApplicationLink)).all()) == 4
    outcomes = db.session.scalars(select(ReceivedEvent.outcome).order_by(ReceivedEvent.id)).all()
    assert [o.value for o in outcomes] == ["moved", "ignored", "moved"]
    endpoint = db.session.scalars(select(Endpoint)).one()
    assert endpoint.url.endswith(".invalid/webhooks/referrals")
    deliveries = db.session.scalars(
        select(Delivery).where(Delivery.endpoint_id == endpoint.id)
    ).all()
    assert deliveries and {d.status for d in deliveries} == {DeliveryStatus.QUEUED}
    assert {d.event_type.value for d in deliveries} == {"referral.stage_changed"}
