"""HR's writes: the mapping's text, presets, secrets at rest, application links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.pipeline import Stage
from community.webhooks import crypto, services
from community.webhooks.errors import WebhookError
from community.webhooks.models import AtsSource, Endpoint, SourceSecret, StageMapping
from community.webhooks.presets import PRESETS
from tests.referrals.factories import make_referral


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_presets_parse_and_map_every_closing_stage_with_a_reason(preset: str) -> None:
    rules = services.parse_mapping(PRESETS[preset])
    assert {r.stage for r in rules} >= {
        Stage.SCREENING,
        Stage.INTERVIEWING,
        Stage.OFFER,
        Stage.HIRED,
    }
    assert all(r.reason_code for r in rules if r.stage in (Stage.REJECTED, Stage.WITHDRAWN))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Phone -> interviewed", "Line 1"),
        ("Phone interviewing", "Line 1"),
        ("# a comment\nRejected -> rejected", "Line 2"),
        ("Rejected -> rejected: lost_interest", "reason code"),
        ("Offer -> offer: skills", "only rejected and withdrawn"),
        ("Offer -> offer\noffer -> hired", "twice"),
        ("", "at least one"),
    ],
)
def test_a_bad_mapping_names_its_line(text: str, says: str) -> None:
    with pytest.raises(WebhookError) as refused:
        services.parse_mapping(text)
    assert refused.value.field == "mapping"
    assert says in refused.value.message


def test_hr_edits_the_mapping(hr: User) -> None:
    source, _secret = services.create_source(hr, "Lever", "lever", "lever")
    services.save_mapping(hr, source, "Screen -> screening\nArchived -> rejected: other\n")
    db.session.expire_all()
    rows = db.session.scalars(select(StageMapping).order_by(StageMapping.id)).all()
    assert [(r.ats_stage, r.stage, r.reason_code) for r in rows] == [
        ("Screen", Stage.SCREENING, None),
        ("Archived", Stage.REJECTED, "other"),
    ]
    assert services.mapping_text(db.session.get(AtsSource, source.id)).startswith(
        "Screen -> screening"
    )
    with pytest.raises(WebhookError):
        services.save_mapping(hr, source, "nonsense")
    assert db.session.scalar(select(StageMapping.id).where(StageMapping.ats_stage == "Screen"))


def test_secrets_are_encrypted_at_rest_and_shown_once(hr: User) -> None:
    source, secret = services.create_source(hr, "Greenhouse", "greenhouse", "greenhouse")
    endpoint, endpoint_secret = services.add_endpoint(
        hr, services.EndpointFields("x", "https://93.184.215.14/", ("referral.hired",))
    )
    stored = db.session.scalars(select(SourceSecret)).one()
    assert secret.startswith("whsec_") and secret not in stored.encrypted
    assert secret[6:] not in stored.encrypted
    assert crypto.decrypt(stored.encrypted) == secret
    assert stored.hint == "…" + secret[-6:]
    assert endpoint_secret not in db.session.get(Endpoint, endpoint.id).encrypted_secret
    # Under another SECRET_KEY the stored secret cannot be read.
    from flask import current_app

    key = current_app.config["SECRET_KEY"]
    current_app.config["SECRET_KEY"] = "another-secret-key-0123456789-0123456789"
    try:
        assert crypto.decrypt(stored.encrypted) is None
    finally:
        current_app.config["SECRET_KEY"] = key


def test_the_source_account_is_a_deactivated_hr_account(hr: User) -> None:
    source, _secret = services.create_source(hr, "Greenhouse", "greenhouse", "greenhouse")
    account = db.session.get(User, source.actor_id)
    assert (account.name, account.is_active_account, account.password_hash) == (
        "Greenhouse (ATS)",
        False,
        None,
    )
    with pytest.raises(WebhookError) as taken:
        services.create_source(hr, "Another", "greenhouse", "lever")
    assert taken.value.field == "slug"
    with pytest.raises(WebhookError):
        services.create_source(hr, "Bad", "No Spaces!", "lever")


def test_links_are_one_to_one(hr: User) -> None:
    source, _secret = services.create_source(hr, "Greenhouse", "greenhouse", "greenhouse")
    first, second = make_referral(), make_referral()
    services.link_application(hr, source, "gh-1", first.id)
    for application_id, referral_id in (("gh-1", second.id), ("gh-2", first.id)):
        with pytest.raises(WebhookError) as refused:
            services.link_application(hr, source, application_id, referral_id)
        assert refused.value.status == 409
    with pytest.raises(WebhookError):
        services.link_application(hr, source, "gh-3", 999999)
    with pytest.raises(WebhookError):
        services.add_source_secret(hr, source, days=0)
