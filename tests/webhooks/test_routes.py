"""HR's integration pages: a source and its secret shown once, the mapping, rotation, links,
endpoints, the delivery log with its filters and replay; refusals beside their fields."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.webhooks import services
from community.webhooks.models import AtsSource, Delivery, SourceSecret
from community.webhooks.sending import deliver_due
from tests.conftest import AuthActions
from tests.referrals.factories import make_referral
from tests.webhooks.conftest import Receiver
from tests.webhooks.test_outbound import _now


def _secret_on(html: str) -> str:
    found = re.search(r'data-testid="new-secret"[^>]*|value="(whsec_[^"]+)"', html)
    secrets = re.findall(r'value="(whsec_[^"]+)"', html)
    assert found and len(secrets) == 1
    return secrets[0]


def test_hr_adds_a_source_and_sees_its_secret_once(client, auth: AuthActions, hr: User) -> None:  # type: ignore[no-untyped-def]
    auth.login(hr)
    page = client.get("/integrations/webhooks")
    assert page.status_code == 200
    assert b"nav-integrations" in page.data
    response = client.post(
        "/integrations/webhooks/sources/new",
        data={"name": "Greenhouse", "slug": "greenhouse", "preset": "greenhouse"},
    )
    assert response.status_code == 200
    secret = _secret_on(response.get_data(as_text=True))
    source = db.session.scalars(select(AtsSource)).one()
    shown = client.get(f"/integrations/webhooks/sources/{source.id}").get_data(as_text=True)
    assert secret not in shown and secret[-6:] in shown  # only its last characters, ever again
    assert "/webhooks/ats/greenhouse" in shown
    assert "Phone Interview -&gt; interviewing" in shown


def test_a_bad_source_and_a_bad_mapping_are_refused_beside_their_fields(client, auth, hr) -> None:  # type: ignore[no-untyped-def]
    auth.login(hr)
    bad = client.post(
        "/integrations/webhooks/sources/new", data={"name": "", "slug": "x", "preset": "greenhouse"}
    )
    assert bad.status_code == 422
    assert db.session.scalars(select(AtsSource)).first() is None
    source, _secret = services.create_source(hr, "Lever", "lever", "lever")
    refused = client.post(
        f"/integrations/webhooks/sources/{source.id}/mapping", data={"mapping": "Offer -> paid"}
    )
    assert refused.status_code == 422
    assert "Line 1" in refused.get_data(as_text=True)
    saved = client.post(
        f"/integrations/webhooks/sources/{source.id}/mapping", data={"mapping": "Offer -> offer"}
    )
    assert saved.status_code == 303


def test_rotation_and_links_through_the_pages(client, auth, hr) -> None:  # type: ignore[no-untyped-def]
    auth.login(hr)
    source, _secret = services.create_source(hr, "Greenhouse", "greenhouse", "greenhouse")
    made = client.post(f"/integrations/webhooks/sources/{source.id}/secrets", data={"days": "30"})
    assert made.status_code == 200 and _secret_on(made.get_data(as_text=True))
    bad_days = client.post(
        f"/integrations/webhooks/sources/{source.id}/secrets", data={"days": "x"}
    )
    assert bad_days.status_code == 422
    old = db.session.scalars(select(SourceSecret).order_by(SourceSecret.id)).first()
    retired = client.post(f"/integrations/webhooks/sources/{source.id}/secrets/{old.id}/retire")
    assert retired.status_code == 303
    db.session.expire_all()
    assert db.session.get(SourceSecret, old.id).retired_at is not None
    referral = make_referral()
    linked = client.post(
        f"/integrations/webhooks/sources/{source.id}/links",
        data={"application_id": "gh-9", "referral_id": str(referral.id)},
    )
    assert linked.status_code == 303
    missing = client.post(
        f"/integrations/webhooks/sources/{source.id}/links",
        data={"application_id": "gh-10", "referral_id": "99999999999"},
    )
    assert missing.status_code == 422


@pytest.mark.usefixtures("loopback")
def test_endpoints_the_log_and_replay(client, auth, hr, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    auth.login(hr)
    response = client.post(
        "/integrations/webhooks/endpoints/new",
        data={
            "name": "Receiver",
            "url": receiver.url,
            "events": ["referral.submitted"],
            "enabled": "y",
        },
    )
    assert response.status_code == 200
    receiver.secret = _secret_on(response.get_data(as_text=True))
    receiver.answer((503, "busy"))
    make_referral()
    deliver_due(_now())
    delivery = db.session.scalars(select(Delivery)).one()
    log = client.get("/integrations/webhooks/deliveries?status=queued")
    assert log.status_code == 200 and b'data-testid="delivery-row"' in log.data
    assert b"busy" in log.data
    assert b"delivery-row" not in client.get("/integrations/webhooks/deliveries?status=sent").data
    assert (
        client.get("/integrations/webhooks/deliveries?endpoint_id=abc&status=nope").status_code
        == 200
    )
    detail = client.get(f"/integrations/webhooks/deliveries/{delivery.id}")
    assert b"referral.submitted" in detail.data
    replayed = client.post(f"/integrations/webhooks/deliveries/{delivery.id}/replay")
    assert replayed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Delivery, delivery.id).status.value == "sent"
    assert len(receiver.requests) == 2 and all(r.verified for r in receiver.requests)
    edit = client.post(
        f"/integrations/webhooks/endpoints/{delivery.endpoint_id}",
        data={"name": "Receiver", "url": "http://127.0.0.1:1/x", "events": []},
    )
    assert edit.status_code == 422


def test_employees_get_403(client, auth) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_user

    auth.login(make_user())
    assert client.get("/integrations/webhooks").status_code == 403
