"""The demo's API tokens: one in use, one revoked, no secret anywhere but its hash."""

from __future__ import annotations

from sqlalchemy import select

from community.api.models import ApiToken
from community.extensions import db


def test_hr_has_a_token_in_use_and_a_revoked_one(seeded: str) -> None:
    tokens = {token.name: token for token in db.session.scalars(select(ApiToken))}
    assert set(tokens) == {"Moka ATS 同步", "薪资系统导出 (旧)"}
    ats = tokens["Moka ATS 同步"]
    assert ats.is_live() and ats.last_used_at is not None
    assert "referrals:write" in ats.scopes
    assert tokens["薪资系统导出 (旧)"].revoked_at is not None
    assert all(len(token.secret_hash) == 64 for token in tokens.values())
