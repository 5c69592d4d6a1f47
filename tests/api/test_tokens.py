"""Tokens: made by HR, shown once, kept hashed, refused once revoked, expired or orphaned."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from community.api import services
from community.api.errors import ApiError
from community.api.models import ApiToken
from community.core.time import local_today, utcnow
from community.extensions import db
from tests.api.conftest import Api, Shop
from tests.security.conftest import db_fingerprint


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _only_token() -> ApiToken:
    return db.session.scalars(select(ApiToken)).one()


def test_a_token_is_stored_hashed_never_in_clear(shop: Shop) -> None:
    new = services.create_token(shop.hr, "Greenhouse sync", ["jobs:read"])
    assert new.plain.startswith("rc_") and len(new.plain) > 50
    row = db.session.execute(text("SELECT * FROM api_tokens")).mappings().one()
    stored = " ".join(str(value) for value in row.values())
    secret = new.plain.split("_", 2)[2]
    assert new.plain not in stored and secret not in stored
    assert row["secret_hash"] == hashlib.sha256(new.plain.encode()).hexdigest()
    assert new.plain.startswith(f"rc_{row['prefix']}_")
    assert _only_token().shown_prefix == f"rc_{row['prefix']}_…"


def test_two_tokens_never_share_a_secret_or_prefix(shop: Shop) -> None:
    first = services.create_token(shop.hr, "One", ["jobs:read"])
    second = services.create_token(shop.hr, "Two", ["jobs:read"])
    assert first.plain != second.plain and first.token.prefix != second.token.prefix


def test_writing_referrals_brings_reading_them(shop: Shop) -> None:
    new = services.create_token(shop.hr, "ATS", ["referrals:write"])
    assert new.token.scopes == ["referrals:read", "referrals:write"]


@pytest.mark.parametrize(
    ("name", "scopes", "days", "field"),
    [
        ("", ["jobs:read"], None, "name"),
        ("x" * 81, ["jobs:read"], None, "name"),
        ("ATS", [], None, "scopes"),
        ("ATS", ["jobs:write"], None, "scopes"),
        ("ATS", ["jobs:read"], -1, "expires_on"),
        ("ATS", ["jobs:read"], 4 * 365, "expires_on"),
    ],
)
def test_a_bad_token_request_names_its_field_and_writes_nothing(
    shop: Shop, name: str, scopes: list[str], days: int | None, field: str
) -> None:
    before = db_fingerprint()
    expires_on = local_today() + timedelta(days=days) if days is not None else None
    with pytest.raises(ApiError) as refused:
        services.create_token(shop.hr, name, scopes, expires_on)
    assert refused.value.field == field
    assert db_fingerprint() == before


def test_only_hr_makes_or_revokes_tokens(shop: Shop) -> None:
    with pytest.raises(ApiError) as refused:
        services.create_token(shop.referrer, "Mine", ["jobs:read"])
    assert refused.value.status == 403
    token = services.create_token(shop.hr, "ATS", ["jobs:read"]).token
    with pytest.raises(ApiError):
        services.revoke_token(token, shop.referrer)
    assert token.revoked_at is None


def test_unknown_malformed_revoked_and_expired_tokens_get_401(
    api: Api, shop: Shop, token_for
) -> None:
    good = token_for("jobs:read")
    assert api.get("/api/v1/jobs", good).status_code == 200
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    cases = {
        None: "missing_token",
        "": "missing_token",
        "nonsense": "invalid_token",
        forged: "invalid_token",
        "rc_000000000000_" + "x" * 43: "invalid_token",
    }
    for token, code in cases.items():
        response = api.get("/api/v1/jobs", token)
        assert response.status_code == 401, token
        assert response.is_json and response.json["error"]["code"] == code
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # Basic auth or a token with another word in front is no bearer token.
    response = api.get("/api/v1/jobs", None, headers={"Authorization": f"Basic {good}"})
    assert response.status_code == 401
    services.revoke_token(_only_token(), shop.hr)
    response = api.get("/api/v1/jobs", good)
    assert response.status_code == 401 and response.json["error"]["code"] == "revoked_token"


def test_a_token_works_through_its_last_day_and_not_after(api: Api, shop: Shop, token_for) -> None:
    token = token_for("jobs:read", expires_on=local_today())
    assert api.get("/api/v1/jobs", token).status_code == 200
    with time_machine.travel(_aware(_only_token().expires_at + timedelta(seconds=1)), tick=False):
        response = api.get("/api/v1/jobs", token)
    assert response.status_code == 401 and response.json["error"]["code"] == "expired_token"


def test_a_token_stops_when_its_maker_leaves_hr(api: Api, shop: Shop, token_for) -> None:
    token = token_for("jobs:read")
    shop.hr.role = shop.hr.role.EMPLOYEE
    db.session.commit()
    response = api.get("/api/v1/jobs", token)
    assert response.status_code == 401 and response.json["error"]["code"] == "owner_not_allowed"


def test_last_used_is_noted_to_the_minute(api: Api, shop: Shop, token_for) -> None:
    token = token_for("jobs:read")
    assert _only_token().last_used_at is None
    start = utcnow()
    with time_machine.travel(_aware(start), tick=False):
        api.get("/api/v1/jobs", token)
    assert _only_token().last_used_at == start
    with time_machine.travel(_aware(start + timedelta(seconds=20)), tick=False):
        api.get("/api/v1/jobs", token)
    assert _only_token().last_used_at == start  # not rewritten within the minute
    with time_machine.travel(_aware(start + timedelta(minutes=2)), tick=False):
        api.get("/api/v1/jobs", token)
    assert _only_token().last_used_at == start + timedelta(minutes=2)
