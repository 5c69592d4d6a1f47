"""The demo's integrations, set up through the webhook services by HR once the referrals exist:
the Greenhouse-like source (its mapping preset, a secret, links to a few referrals and three
signed events applied through `inbound.receive`, one of them late and ignored) and an outbound
endpoint whose address never resolves, so `make run`'s worker shows failed attempts and their
retries in the delivery log."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from community.accounts.models import User
from community.demo.data.webhooks import ENDPOINT, EVENTS, FIRST_APPLICATION, LINKED, SOURCE
from community.extensions import db
from community.pipeline import Stage
from community.referrals.models import Referral
from community.webhooks import inbound, services
from community.webhooks.models import AtsSource


def add_webhooks(hr: User) -> int:
    """Add the demo's source and endpoint unless the source is there; how many events applied."""
    name, slug, preset = SOURCE
    if db.session.scalar(select(AtsSource.id).where(AtsSource.slug == slug)):
        return 0
    source, secret = services.create_source(hr, name, slug, preset)
    endpoint_name, url, kinds = ENDPOINT
    services.add_endpoint(hr, services.EndpointFields(endpoint_name, url, kinds))
    waiting = db.session.scalars(
        select(Referral)
        .where(Referral.stage.in_((Stage.SUBMITTED, Stage.SCREENING)))
        .order_by(Referral.id)
        .limit(LINKED)
    ).all()
    for number, referral in enumerate(waiting, start=FIRST_APPLICATION):
        services.link_application(hr, source, f"gh-{number}", referral.id)
    applied = 0
    for n, (application_id, stage) in enumerate(EVENTS, start=1):
        if int(application_id[3:]) - FIRST_APPLICATION >= len(waiting):
            continue
        body = json.dumps(
            {
                "type": "candidate_stage_change",
                "data": {"application_id": application_id, "stage": stage},
            }
        ).encode()
        now = datetime.now(UTC)
        headers = {
            "webhook-id": f"demo_evt_{n}",
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign(f"demo_evt_{n}", now, body),
        }
        inbound.receive(slug, body, headers)
        applied += 1
    return applied
