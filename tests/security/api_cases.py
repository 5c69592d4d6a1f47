"""The API room's routes for the security tests: HR's token pages in the role matrix (rows:
endpoint, method, path, HR's status, data, done), the token an id-guessing visitor tries to
revoke, and the bearer-token calls the API's own id-guessing test makes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.api import services
from community.api.models import ApiToken
from community.extensions import db
from tests.security.conftest import Company


def hrs_token(company: Company) -> int:
    """A live token HR made (made once per test): only HR revokes it."""
    if "token_id" not in company.__dict__:
        new = services.create_token(company.hr, "Matrix ATS", ["jobs:read"])
        company.__dict__["token_id"] = new.token.id
    return company.__dict__["token_id"]


def plain_token(company: Company, *scopes: str) -> str:
    """A fresh token of HR's with `scopes`, as an integration would send it."""
    return services.create_token(company.hr, "Prober", list(scopes)).plain


def _made(company: Company) -> bool:
    return (
        db.session.scalars(select(ApiToken).where(ApiToken.name == "Made In Matrix")).first()
        is not None
    )


def _revoked(company: Company) -> bool:
    db.session.expire_all()
    token = db.session.get(ApiToken, hrs_token(company))
    return token is not None and token.revoked_at is not None


API_ROWS: list[tuple[Any, ...]] = [
    ("api.tokens", "GET", lambda c: "/integrations/api-tokens", 200),
    (
        "api.create_token",
        "POST",
        lambda c: "/integrations/api-tokens",
        200,
        lambda c: {"name": "Made In Matrix", "scopes": ["jobs:read"]},
        _made,
    ),
    (
        "api.revoke_token",
        "POST",
        lambda c: f"/integrations/api-tokens/{hrs_token(c)}/revoke",
        302,
        lambda c: {},
        _revoked,
    ),
    ("api.docs", "GET", lambda c: "/api/docs", 200),
]
