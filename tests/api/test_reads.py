"""Reading through the API: jobs, referrals (filters, pages, history), payouts and people; the
candidate's details only with their scope; JSON for every error; no cookie read or set."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.time import local_today, utcnow
from community.extensions import db
from community.jobs.models import JobStatus
from community.payouts.models import Payout
from community.pipeline import Stage
from community.referrals import services as referral_services
from tests.api.conftest import Api, Shop
from tests.factories import make_job, make_user
from tests.referrals.factories import make_referral
from tests.security.conftest import login


def _hire(shop: Shop) -> None:
    referral = shop.referral
    for stage in (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        referral_services.advance_stage(
            referral, stage, shop.hr, expected_from=referral.stage, start_date=local_today()
        )


def test_jobs_list_filters_by_status_and_shows_one(api: Api, shop: Shop, token_for) -> None:
    draft = make_job(shop.department, status=JobStatus.DRAFT, title="Draft Job")
    token = token_for("jobs:read")
    everything = api.get("/api/v1/jobs", token).json
    assert [job["id"] for job in everything["data"]] == [shop.job.id, draft.id]
    assert everything["next_cursor"] is None
    drafts = api.get("/api/v1/jobs?status=draft", token).json["data"]
    assert [job["id"] for job in drafts] == [draft.id]
    one = api.get(f"/api/v1/jobs/{shop.job.id}", token).json["data"]
    assert one["title"] == "Payments Engineer" and one["status"] == "open"
    assert one["bonus"] == {"amount_minor": 800000, "currency": "CNY"}
    assert one["department"]["name"] == "Engineering"


def test_referrals_list_pages_with_a_cursor(api: Api, shop: Shop, token_for) -> None:
    more = [make_referral(shop.referrer, shop.job) for _ in range(4)]
    ids = [shop.referral.id, *(item.id for item in more)]
    token = token_for("referrals:read")
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/api/v1/referrals{query}", token).json
        seen += [item["id"] for item in page["data"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids and pages == 3


def test_referrals_filter_by_stage_job_and_time(api: Api, shop: Shop, token_for) -> None:
    other_job = make_job(shop.department)
    other = make_referral(shop.referrer, other_job)
    other.stage_changed_at = utcnow() - timedelta(hours=1)  # submitted an hour ago
    db.session.commit()
    token = token_for("referrals:read")
    before_move = utcnow()
    referral_services.advance_stage(shop.referral, Stage.SCREENING, shop.hr)

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/referrals?{query}", token)
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["data"]]

    assert ids("stage=screening") == [shop.referral.id]
    assert ids("stage=submitted") == [other.id]
    assert ids(f"job_id={other_job.id}") == [other.id]
    since = (before_move - timedelta(minutes=1)).isoformat() + "Z"
    assert ids(f"updated_since={since}") == [shop.referral.id]
    assert ids("updated_since=2000-01-01T00:00:00") == [shop.referral.id, other.id]


def test_a_referral_has_its_history_and_no_candidate_without_the_scope(
    api: Api, shop: Shop, token_for
) -> None:
    referral_services.advance_stage(
        shop.referral, Stage.SCREENING, shop.hr, internal_note="HR only: salary talk"
    )
    plain = api.get(f"/api/v1/referrals/{shop.referral.id}", token_for("referrals:read"))
    data = plain.json["data"]
    assert data["stage"] == "screening" and "candidate" not in data
    assert [(h["from_stage"], h["to_stage"]) for h in data["history"]] == [
        (None, "submitted"),
        ("submitted", "screening"),
    ]
    assert data["history"][-1]["actor_id"] == shop.hr.id
    body = plain.get_data(as_text=True)
    for private in ("Candidate Sun", "sun@example.org", "salary talk", "Acme", "resume"):
        assert private not in body
    listed = api.get("/api/v1/referrals", token_for("referrals:read")).get_data(as_text=True)
    assert "Candidate Sun" not in listed
    with_candidate = api.get(
        f"/api/v1/referrals/{shop.referral.id}", token_for("referrals:read", "candidates:read")
    ).json["data"]
    assert with_candidate["candidate"] == {
        "name": "Candidate Sun",
        "email": "sun@example.org",
        "phone": "+8613812345678",
    }


def test_candidates_scope_alone_reads_no_referral(api: Api, shop: Shop, token_for) -> None:
    response = api.get("/api/v1/referrals", token_for("candidates:read"))
    assert response.status_code == 403
    assert response.json["error"] == {
        "status": 403,
        "code": "missing_scope",
        "message": "This API token does not have the scope referrals:read.",
    }


def test_payouts_list(api: Api, shop: Shop, token_for) -> None:
    _hire(shop)
    payout = db.session.scalars(select(Payout)).one()
    token = token_for("payouts:read")
    data = api.get("/api/v1/payouts", token).json["data"]
    assert [item["id"] for item in data] == [payout.id]
    assert data[0]["amount"] == {"amount_minor": payout.amount_minor, "currency": "CNY"}
    assert data[0]["stage"] == "hired" and data[0]["status"] == "pending"
    assert api.get("/api/v1/payouts?status=paid", token).json["data"] == []
    filtered = api.get(f"/api/v1/payouts?referral_id={shop.referral.id}", token).json["data"]
    assert len(filtered) == 1


def test_people_are_a_directory_without_private_data(api: Api, shop: Shop, token_for) -> None:
    make_user(department=shop.department, name="Gone Gao", is_active_account=False)
    response = api.get("/api/v1/people", token_for("people:read"))
    data = response.json["data"]
    assert [person["name"] for person in data] == ["Hana HR", "Referrer Rita"]
    assert set(data[0]) == {"id", "name", "department"}
    assert "@" not in response.get_data(as_text=True)
    other = api.get(f"/api/v1/people?department_id={shop.department.id + 999}", token_for())
    assert other.json["data"] == []


def test_each_endpoint_needs_its_own_scope(api: Api, shop: Shop, token_for) -> None:
    token = token_for("people:read")
    for path, scope in (
        ("/api/v1/jobs", "jobs:read"),
        (f"/api/v1/jobs/{shop.job.id}", "jobs:read"),
        ("/api/v1/referrals", "referrals:read"),
        (f"/api/v1/referrals/{shop.referral.id}", "referrals:read"),
        ("/api/v1/payouts", "payouts:read"),
    ):
        response = api.get(path, token)
        assert response.status_code == 403, path
        assert scope in response.json["error"]["message"]


def test_bad_query_parameters_are_422_naming_each(api: Api, shop: Shop, token_for) -> None:
    token = token_for()
    response = api.get(
        "/api/v1/referrals?stage=lost&job_id=abc&updated_since=yesterday&limit=500&colour=red",
        token,
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"stage", "job_id", "updated_since", "limit", "colour"}
    assert api.get("/api/v1/jobs?cursor=-1", token).status_code == 422
    assert api.get("/api/v1/jobs?department_id=99999999999", token).status_code == 422
    assert api.get("/api/v1/payouts?status=lost", token).status_code == 422


def test_errors_under_the_api_are_json_never_html(api: Api, shop: Shop, token_for) -> None:
    token = token_for()
    for path, status in (
        ("/api/v1/referrals/999999", 404),
        ("/api/v1/jobs/999999", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/nothing", 404),
        ("/api/v1/referrals/99999999999", 404),
    ):
        response = api.get(path, token)
        assert response.status_code == status, path
        assert response.is_json and response.json["error"]["status"] == status
    wrong_method = api.call("DELETE", "/api/v1/jobs", token)
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert "GET" in wrong_method.headers["Allow"]


def test_the_api_neither_reads_nor_sets_a_session_cookie(app, client, shop: Shop) -> None:
    login(client, shop.hr)  # a browser signed in as HR: its cookie is no API credential
    response = client.get("/api/v1/jobs")
    assert response.status_code == 401 and response.is_json
    assert "Set-Cookie" not in response.headers
    assert client.get("/integrations/api-tokens").status_code == 200  # still signed in


def test_a_successful_call_sets_no_cookie(api: Api, shop: Shop, token_for) -> None:
    response = api.get("/api/v1/jobs", token_for())
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
