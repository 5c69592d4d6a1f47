"""HR's pages: the token list, making a token (shown once), revoking one, and the API docs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select

from community.api.models import ApiToken
from community.extensions import db
from tests.api.conftest import Api, Shop
from tests.security.conftest import db_fingerprint, login


def test_hr_makes_a_token_and_sees_it_once(client, api: Api, shop: Shop) -> None:
    login(client, shop.hr)
    page = client.get("/integrations/api-tokens")
    assert page.status_code == 200 and "No tokens yet" in page.get_data(as_text=True)
    made = client.post(
        "/integrations/api-tokens",
        data={"name": "Greenhouse sync", "scopes": ["jobs:read", "referrals:read"]},
    )
    body = made.get_data(as_text=True)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    token = re.search(r'data-testid="new-token-value"[^>]*value="(rc_[0-9a-f]{12}_[^"]+)"', body)
    if token is None:
        token = re.search(
            r'value="(rc_[0-9a-f]{12}_[^"]+)"[^>]*data-testid="new-token-value"', body
        )
    assert token and "shown only this once" in body
    token = token.group(1)
    assert api.get("/api/v1/jobs", token).status_code == 200
    again = client.get("/integrations/api-tokens").get_data(as_text=True)
    assert token not in again and "Greenhouse sync" in again
    row = db.session.scalars(select(ApiToken)).one()
    assert row.shown_prefix in again.replace("&hellip;", "…")
    assert "Set-Cookie" not in made.headers or token not in made.headers["Set-Cookie"]


def test_a_bad_token_form_says_why_and_writes_nothing(client, shop: Shop) -> None:
    login(client, shop.hr)
    before = db_fingerprint()
    response = client.post("/integrations/api-tokens", data={"name": "", "scopes": []})
    assert response.status_code == 422
    assert "Give the token a name" in response.get_data(as_text=True)
    no_scope = client.post("/integrations/api-tokens", data={"name": "ATS"})
    assert "Choose at least one scope." in no_scope.get_data(as_text=True)
    bad_date = client.post(
        "/integrations/api-tokens",
        data={"name": "ATS", "scopes": ["jobs:read"], "expires_on": "31/02/2026"},
    )
    assert bad_date.status_code == 422
    assert "Enter a date like" in bad_date.get_data(as_text=True)
    past = client.post(
        "/integrations/api-tokens",
        data={"name": "ATS", "scopes": ["jobs:read"], "expires_on": "2020-01-01"},
    )
    assert "cannot be in the past" in past.get_data(as_text=True)
    assert db_fingerprint() == before


def test_hr_revokes_a_token(client, api: Api, shop: Shop, token_for) -> None:
    token = token_for("jobs:read")
    row = db.session.scalars(select(ApiToken)).one()
    login(client, shop.hr)
    response = client.post(f"/integrations/api-tokens/{row.id}/revoke")
    assert response.status_code == 302
    assert api.get("/api/v1/jobs", token).status_code == 401
    assert client.post(f"/integrations/api-tokens/{row.id}/revoke").status_code == 409
    assert client.post("/integrations/api-tokens/999999/revoke").status_code == 404
    page = client.get("/integrations/api-tokens").get_data(as_text=True)
    assert "Revoked" in page and 'data-testid="revoke-token"' not in page


def test_the_docs_list_every_endpoint(client, shop: Shop) -> None:
    login(client, shop.hr)
    page = client.get("/api/docs")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "text/html" in page.content_type
    for path in ("/api/v1/jobs", "/api/v1/referrals/{referral_id}/stage", "/api/v1/people"):
        assert path in body
    assert "referrals:write" in body


def test_the_docs_are_a_page_even_when_refused(client, shop: Shop) -> None:
    login(client, shop.referrer)
    response = client.get("/api/docs")
    assert response.status_code == 403 and "text/html" in response.content_type


def test_the_hr_menu_has_the_tokens_page(client, shop: Shop) -> None:
    login(client, shop.hr)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-api-tokens"' in page
    login(client, shop.referrer)
    assert 'data-testid="nav-api-tokens"' not in client.get("/").get_data(as_text=True)


def test_chinese_pages(client, shop: Shop) -> None:
    login(client, shop.hr)
    client.post("/language", data={"locale": "zh_CN"})
    assert client.get("/integrations/api-tokens").status_code == 200
    assert client.get("/api/docs").status_code == 200


def test_the_list_says_the_last_valid_day(client, shop: Shop, token_for) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 4, tzinfo=UTC), tick=False):
        token_for("jobs:read", expires_on=date(2026, 12, 31))
        login(client, shop.hr)
        page = client.get("/integrations/api-tokens").get_data(as_text=True)
    assert "Valid through Dec 31, 2026" in page
