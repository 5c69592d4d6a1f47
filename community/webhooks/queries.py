"""Reads for HR's integration pages."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Delivery,
    DeliveryStatus,
    Endpoint,
    ReceivedEvent,
    SourceSecret,
)

PAGE = 50


def sources() -> list[AtsSource]:
    return list(db.session.scalars(select(AtsSource).order_by(AtsSource.id)))


def endpoints() -> list[Endpoint]:
    return list(db.session.scalars(select(Endpoint).order_by(Endpoint.id)))


def get_source(source_id: int) -> AtsSource:
    return db.session.get(AtsSource, source_id) or abort(404)


def get_endpoint(endpoint_id: int) -> Endpoint:
    return db.session.get(Endpoint, endpoint_id) or abort(404)


def get_delivery(delivery_id: int) -> Delivery:
    return db.session.get(Delivery, delivery_id) or abort(404)


def secrets(source: AtsSource) -> list[tuple[SourceSecret, bool]]:
    """A source's secrets, newest first, with whether each is active now."""
    now = utcnow()
    rows = db.session.scalars(
        select(SourceSecret)
        .where(SourceSecret.source_id == source.id)
        .order_by(SourceSecret.id.desc())
    )
    return [(row, row.active(now)) for row in rows]


def links(source: AtsSource) -> list[ApplicationLink]:
    return list(
        db.session.scalars(
            select(ApplicationLink)
            .where(ApplicationLink.source_id == source.id)
            .order_by(ApplicationLink.id.desc())
            .limit(PAGE)
        )
    )


def received(source: AtsSource) -> list[ReceivedEvent]:
    return list(
        db.session.scalars(
            select(ReceivedEvent)
            .where(ReceivedEvent.source_id == source.id)
            .order_by(ReceivedEvent.id.desc())
            .limit(PAGE)
        )
    )


def deliveries(endpoint_id: int | None, status: DeliveryStatus | None) -> list[Delivery]:
    """The latest deliveries, newest first, of one endpoint and/or status when given."""
    query = select(Delivery).order_by(Delivery.id.desc()).limit(PAGE)
    if endpoint_id is not None:
        query = query.where(Delivery.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(Delivery.status == status)
    return list(db.session.scalars(query))


def delivery_counts() -> dict[tuple[int, DeliveryStatus], int]:
    """How many deliveries each endpoint has in each status."""
    rows = db.session.execute(
        select(Delivery.endpoint_id, Delivery.status, func.count()).group_by(
            Delivery.endpoint_id, Delivery.status
        )
    )
    return {(endpoint_id, status): count for endpoint_id, status, count in rows}
