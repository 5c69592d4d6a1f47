"""The integration pages (HR only) for the role matrix (tests/security/test_role_matrix.py), as
rows: (endpoint, method, path, HR's status, data, done). The endpoint HR replays to is on a closed
port of 127.0.0.1 and private addresses are refused at each try, so nothing leaves the machine.
The inbound ATS route is public and signed: its refusals are tested in tests/webhooks/."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from community.extensions import db
from community.webhooks import services
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Delivery,
    DeliveryAttempt,
    Endpoint,
    SourceSecret,
)
from tests.security.conftest import Company

PUBLIC_ADDRESS = "https://93.184.215.14/hook"  # a literal address: nothing is resolved


def source_of(company: Company) -> int:
    """An ATS source HR set up (made once per test)."""
    if "source_id" not in company.__dict__:
        source, _secret = services.create_source(company.hr, "Greenhouse", "gh", "greenhouse")
        company.__dict__["source_id"] = source.id
    return company.__dict__["source_id"]


def secret_of(company: Company) -> int:
    """The source's first signing secret."""
    source_id = source_of(company)
    return db.session.scalars(
        select(SourceSecret.id).where(SourceSecret.source_id == source_id)
    ).first()  # type: ignore[return-value]


def endpoint_of(company: Company) -> int:
    """An endpoint HR registered on a closed local port (made once per test)."""
    if "endpoint_id" not in company.__dict__:
        current_app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
        try:
            fields = services.EndpointFields(
                "Local", "http://127.0.0.1:9/closed", ("referral.submitted",)
            )
            endpoint = services.add_endpoint(company.hr, fields)[0]
            company.__dict__["endpoint_id"], company.__dict__["endpoint_hint"] = (
                endpoint.id,
                endpoint.hint,
            )
        finally:
            current_app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    return company.__dict__["endpoint_id"]


def delivery_of(company: Company) -> int:
    """A delivery queued for that endpoint (made once per test)."""
    if "delivery_id" not in company.__dict__:
        endpoint_id = endpoint_of(company)
        db.session.add(
            Delivery(
                endpoint_id=endpoint_id,
                event_type="referral.submitted",
                message_id="msg_matrix",
                source_key="matrix",
                payload={"type": "referral.submitted", "data": {"referral_id": 1}},
            )
        )
        db.session.commit()
        company.__dict__["delivery_id"] = db.session.scalars(select(Delivery.id)).one()
    return company.__dict__["delivery_id"]


def _source(company: Company) -> AtsSource:
    db.session.expire_all()
    return db.session.get_one(AtsSource, source_of(company))


def _endpoint(company: Company) -> Endpoint:
    db.session.expire_all()
    return db.session.get_one(Endpoint, endpoint_of(company))


def _endpoint_form(company: Company, **overrides: str) -> dict[str, Any]:
    data = {"name": "Payroll", "url": PUBLIC_ADDRESS, "events": ["payout.due"], "enabled": "y"}
    return data | overrides


def _secrets(company: Company) -> int:
    return len(db.session.scalars(select(SourceSecret.id)).all())


BASE = "/integrations/webhooks"

WEBHOOKS_ROWS: list[tuple[Any, ...]] = [
    ("webhooks.index", "GET", lambda c: BASE, 200),
    ("webhooks.new_source", "GET", lambda c: f"{BASE}/sources/new", 200),
    (
        "webhooks.new_source",
        "POST",
        lambda c: f"{BASE}/sources/new",
        200,
        lambda c: {"name": "Lever", "slug": "lever", "preset": "lever"},
        lambda c: db.session.scalar(select(AtsSource.id).where(AtsSource.slug == "lever")),
    ),
    ("webhooks.source", "GET", lambda c: f"{BASE}/sources/{source_of(c)}", 200),
    (
        "webhooks.save_mapping",
        "POST",
        lambda c: f"{BASE}/sources/{source_of(c)}/mapping",
        303,
        lambda c: {"mapping": "Screen -> screening"},
        lambda c: [m.ats_stage for m in _source(c).mappings] == ["Screen"],
    ),
    (
        "webhooks.switch_source",
        "POST",
        lambda c: f"{BASE}/sources/{source_of(c)}/switch",
        303,
        lambda c: {"on": "0"},
        lambda c: _source(c).enabled is False,
    ),
    (
        "webhooks.new_source_secret",
        "POST",
        lambda c: f"{BASE}/sources/{source_of(c)}/secrets",
        200,
        lambda c: {"days": ""},
        lambda c: _secrets(c) == 2,
    ),
    (
        "webhooks.retire_secret",
        "POST",
        lambda c: f"{BASE}/sources/{source_of(c)}/secrets/{secret_of(c)}/retire",
        303,
        lambda c: {},
        lambda c: db.session.get_one(SourceSecret, secret_of(c)).retired_at is not None,
    ),
    (
        "webhooks.link_application",
        "POST",
        lambda c: f"{BASE}/sources/{source_of(c)}/links",
        303,
        lambda c: {"application_id": "gh-1", "referral_id": str(c.referral.id)},
        lambda c: db.session.scalar(select(ApplicationLink.referral_id)) == c.referral.id,
    ),
    ("webhooks.new_endpoint", "GET", lambda c: f"{BASE}/endpoints/new", 200),
    (
        "webhooks.new_endpoint",
        "POST",
        lambda c: f"{BASE}/endpoints/new",
        200,
        _endpoint_form,
        lambda c: db.session.scalar(select(Endpoint.id).where(Endpoint.name == "Payroll")),
    ),
    ("webhooks.endpoint", "GET", lambda c: f"{BASE}/endpoints/{endpoint_of(c)}", 200),
    (
        "webhooks.endpoint",
        "POST",
        lambda c: f"{BASE}/endpoints/{endpoint_of(c)}",
        303,
        lambda c: _endpoint_form(c, name="Renamed"),
        lambda c: _endpoint(c).name == "Renamed",
    ),
    (
        "webhooks.new_endpoint_secret",
        "POST",
        lambda c: f"{BASE}/endpoints/{endpoint_of(c)}/secret",
        200,
        lambda c: {},
        lambda c: _endpoint(c).hint != c.__dict__["endpoint_hint"],
    ),
    ("webhooks.deliveries", "GET", lambda c: f"{BASE}/deliveries", 200),
    ("webhooks.delivery", "GET", lambda c: f"{BASE}/deliveries/{delivery_of(c)}", 200),
    (
        "webhooks.replay",
        "POST",
        lambda c: f"{BASE}/deliveries/{delivery_of(c)}/replay",
        303,
        lambda c: {},
        lambda c: db.session.scalar(select(DeliveryAttempt.replay)) is True,
    ),
]
