"""Moving a referral through the API: as the token's maker, by the review page's rules; a
refusal is JSON and writes nothing. And the rate limit per token."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.pipeline import Stage
from community.referrals.models import Referral, ReferralEvent
from tests.api.conftest import Api, Shop
from tests.api.conftest import data_fingerprint as db_fingerprint
from tests.factories import make_user
from tests.referrals.factories import make_referral


def _move(api: Api, shop: Shop, token: str, referral: Referral | None = None, **body):
    referral = referral or shop.referral
    return api.post(f"/api/v1/referrals/{referral.id}/stage", token, json=body)


def _stage(referral: Referral) -> Stage:
    db.session.expire_all()
    return db.session.get(Referral, referral.id).stage


def test_a_move_is_recorded_as_the_tokens_maker(api: Api, shop: Shop, token_for) -> None:
    token = token_for("referrals:write")
    response = _move(
        api, shop, token, to_stage="interviewing", expected_from="submitted", feedback="Strong!"
    )
    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert data["stage"] == "interviewing"
    assert data["history"][-1]["to_stage"] == "interviewing"
    event = db.session.scalars(select(ReferralEvent).order_by(ReferralEvent.id.desc())).first()
    assert event.actor_id == shop.hr.id and event.feedback == "Strong!"


def test_hired_needs_a_start_date_and_reject_a_reason(api: Api, shop: Shop, token_for) -> None:
    token = token_for("referrals:write")
    for stage in ("screening", "interviewing", "offer"):
        assert _move(api, shop, token, to_stage=stage).status_code == 200
    before = db_fingerprint()
    no_date = _move(api, shop, token, to_stage="hired")
    assert no_date.status_code == 422 and set(no_date.json["error"]["fields"]) == {"start_date"}
    no_reason = _move(api, shop, token, to_stage="rejected")
    assert no_reason.status_code == 422
    assert set(no_reason.json["error"]["fields"]) == {"reason_code"}
    assert db_fingerprint() == before
    rejected = _move(api, shop, token, to_stage="rejected", reason_code="skills")
    assert rejected.status_code == 200 and _stage(shop.referral) == Stage.REJECTED


def test_a_hire_with_its_start_date(api: Api, shop: Shop, token_for) -> None:
    token = token_for("referrals:write")
    for stage in ("interviewing", "offer"):
        _move(api, shop, token, to_stage=stage)
    response = _move(api, shop, token, to_stage="hired", start_date=local_today().isoformat())
    assert response.status_code == 200
    assert response.json["data"]["start_date"] == local_today().isoformat()


def test_refused_moves_are_json_and_write_nothing(api: Api, shop: Shop, token_for) -> None:
    token = token_for("referrals:write")
    before = db_fingerprint()
    backwards_or_skipping = _move(api, shop, token, to_stage="offer")
    assert backwards_or_skipping.status_code == 422
    same = _move(api, shop, token, to_stage="submitted")
    assert same.status_code == 409 and same.json["error"]["code"] == "stage_conflict"
    stale = _move(api, shop, token, to_stage="screening", expected_from="interviewing")
    assert stale.status_code == 409
    unknown = _move(api, shop, token, to_stage="promoted", colour="red")
    assert unknown.status_code == 422
    assert set(unknown.json["error"]["fields"]) == {"to_stage", "colour"}
    wrong_types = _move(api, shop, token, to_stage=3, start_date="31/12/2026", reason=["a"])
    assert set(wrong_types.json["error"]["fields"]) == {"to_stage", "start_date", "reason"}
    missing = _move(api, shop, token)
    assert missing.status_code == 422 and "to_stage" in missing.json["error"]["fields"]
    not_json = api.post(
        f"/api/v1/referrals/{shop.referral.id}/stage", token, data="to_stage=screening"
    )
    assert not_json.status_code == 422 and "body" in not_json.json["error"]["fields"]
    a_list = api.post(f"/api/v1/referrals/{shop.referral.id}/stage", token, json=["screening"])
    assert a_list.status_code == 422
    nowhere = api.post("/api/v1/referrals/999999/stage", token, json={"to_stage": "screening"})
    assert nowhere.status_code == 404 and nowhere.is_json
    assert db_fingerprint() == before


def test_the_tokens_maker_never_moves_their_own_referral(api: Api, shop: Shop, token_for) -> None:
    own = make_referral(shop.hr, shop.job)
    token = token_for("referrals:write")
    before = db_fingerprint()
    response = _move(api, shop, token, referral=own, to_stage="screening")
    assert response.status_code == 403 and response.json["error"]["code"] == "own_referral"
    assert db_fingerprint() == before


def test_reading_is_not_moving(api: Api, shop: Shop, token_for) -> None:
    token = token_for("referrals:read", "candidates:read", "jobs:read")
    before = db_fingerprint()
    response = _move(api, shop, token, to_stage="screening")
    assert response.status_code == 403
    assert "referrals:write" in response.json["error"]["message"]
    assert db_fingerprint() == before


def test_another_hr_officers_token_moves_as_them(api: Api, shop: Shop, token_for) -> None:
    colleague = make_user(Role.HR, shop.department, name="Colleague Chen")
    token = token_for("referrals:write", actor=colleague)
    assert _move(api, shop, token, to_stage="screening").status_code == 200
    event = db.session.scalars(select(ReferralEvent).order_by(ReferralEvent.id.desc())).first()
    assert event.actor_id == colleague.id


def test_each_token_has_its_own_rate_limit(app, api: Api, shop: Shop, token_for) -> None:
    usual = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        first, second = token_for("jobs:read"), token_for("jobs:read")
        for _ in range(3):
            assert api.get("/api/v1/jobs", first).status_code == 200
        limited = api.get("/api/v1/jobs", first)
        assert limited.status_code == 429 and limited.is_json
        assert limited.json["error"]["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
        assert api.get("/api/v1/jobs", second).status_code == 200  # its own allowance
    finally:
        app.config["API_RATE_LIMIT"] = usual
