"""The JSON API, version 1 (/api/v1): thin routes, each declared once through the registry
(which also writes its OpenAPI description). Parse → query or service → JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, jsonify

from community.api import inputs, openapi, queries, shapes
from community.api.auth import acting_user, current_token
from community.api.registry import Param, endpoint
from community.api.scopes import Scope
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.payouts.models import PayoutStatus
from community.pipeline import Stage
from community.referrals import services as referral_services
from community.referrals.models import Referral

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

PAGE = (
    Param("cursor", {"type": "string"}, "The `next_cursor` of the page before."),
    Param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": inputs.MAX_LIMIT},
        f"Page size (default {inputs.DEFAULT_LIMIT}).",
    ),
)
ID = {"type": "integer", "minimum": 1}


def _page(page: queries.Page[Any], shape: Callable[[Any], shapes.Json]) -> Response:
    return jsonify(data=[shape(item) for item in page.items], next_cursor=page.next_cursor)


def _with_candidate() -> bool:
    return Scope.CANDIDATES_READ.value in (current_token().scopes or [])


@endpoint(
    bp,
    "GET",
    "/openapi.json",
    summary="This description",
    description="The OpenAPI 3.1 description of the API. Needs no token.",
    scope=None,
    response={"type": "object"},
    tag="meta",
)
def openapi_document() -> Response:
    return jsonify(openapi.document())


@endpoint(
    bp,
    "GET",
    "/jobs",
    summary="List jobs",
    scope=Scope.JOBS_READ,
    response=shapes.page_of("Job"),
    params=(
        Param("status", {"enum": [s.value for s in JobStatus]}, "Only jobs in this status."),
        Param("department_id", ID, "Only jobs of this department."),
        *PAGE,
    ),
    errors=(422,),
    tag="jobs",
)
def jobs() -> Response:
    reader = inputs.query("status", "department_id")
    status = reader.choice("status", JobStatus)
    department_id = reader.number("department_id")
    cursor, limit = reader.page()
    reader.done()
    return _page(queries.jobs(status, department_id, cursor, limit), shapes.job)


@endpoint(
    bp,
    "GET",
    "/jobs/<int:job_id>",
    summary="One job",
    scope=Scope.JOBS_READ,
    response=shapes.one("Job"),
    errors=(404,),
    tag="jobs",
)
def job(job_id: int) -> Response:
    item = db.session.get(Job, job_id) or abort(404)
    return jsonify(data=shapes.job(item))


@endpoint(
    bp,
    "GET",
    "/referrals",
    summary="List referrals",
    description="In id order. `updated_since` keeps the referrals whose stage changed at or "
    "after that time: poll with the time of your last sync.",
    scope=Scope.REFERRALS_READ,
    response=shapes.page_of("Referral"),
    params=(
        Param("stage", {"enum": [s.value for s in Stage]}, "Only referrals at this stage."),
        Param("job_id", ID, "Only referrals to this job."),
        Param(
            "updated_since",
            {"type": "string", "format": "date-time"},
            "ISO 8601; without a zone, UTC.",
        ),
        *PAGE,
    ),
    errors=(422,),
    tag="referrals",
)
def referrals() -> Response:
    reader = inputs.query("stage", "job_id", "updated_since")
    stage = reader.choice("stage", Stage)
    job_id = reader.number("job_id")
    updated_since = reader.moment("updated_since")
    cursor, limit = reader.page()
    reader.done()
    with_candidate = _with_candidate()
    page = queries.referrals(
        stage, job_id, updated_since, cursor, limit, with_candidate=with_candidate
    )
    return _page(page, lambda item: shapes.referral(item, with_candidate=with_candidate))


@endpoint(
    bp,
    "GET",
    "/referrals/<int:referral_id>",
    summary="One referral, with its stage history",
    scope=Scope.REFERRALS_READ,
    response=shapes.one("Referral"),
    errors=(404,),
    tag="referrals",
)
def referral(referral_id: int) -> Response:
    item = db.session.get(Referral, referral_id) or abort(404)
    shaped = shapes.referral(item, with_candidate=_with_candidate(), with_history=True)
    return jsonify(data=shaped)


@endpoint(
    bp,
    "POST",
    "/referrals/<int:referral_id>/stage",
    summary="Move a referral to another stage",
    description="As the HR officer who made the token, with the rules of the review page: "
    "forward only (or submitted → interviewing), rejected and withdrawn need a reason, hired "
    "needs a start date, never a referral the token's maker referred (403 own_referral). A "
    "referral already at `to_stage`, or no longer at `expected_from`, answers 409.",
    scope=Scope.REFERRALS_WRITE,
    response=shapes.one("Referral"),
    body={"$ref": "#/components/schemas/StageMove"},
    errors=(403, 404, 409, 422),
    tag="referrals",
)
def move_stage(referral_id: int) -> Response:
    item = db.session.get(Referral, referral_id) or abort(404)
    reader = inputs.json_body(
        "to_stage",
        "expected_from",
        "reason_code",
        "reason",
        "feedback",
        "internal_note",
        "start_date",
    )
    to_stage = reader.choice("to_stage", Stage, required=True)
    expected_from = reader.choice("expected_from", Stage)
    reason_code = reader.text("reason_code", limit=32)
    reason = reader.text("reason")
    feedback = reader.text("feedback")
    internal_note = reader.text("internal_note")
    start_date = reader.day("start_date")
    reader.done()
    moved = referral_services.advance_stage(
        item,
        to_stage,  # type: ignore[arg-type]
        acting_user(),
        internal_note=internal_note,
        feedback=feedback,
        reason=reason,
        reason_code=reason_code,
        start_date=start_date,
        expected_from=expected_from,
    )
    shaped = shapes.referral(moved, with_candidate=_with_candidate(), with_history=True)
    return jsonify(data=shaped)


@endpoint(
    bp,
    "GET",
    "/payouts",
    summary="List bonus payouts",
    scope=Scope.PAYOUTS_READ,
    response=shapes.page_of("Payout"),
    params=(
        Param("status", {"enum": [s.value for s in PayoutStatus]}, "Only payouts in this status."),
        Param("referral_id", ID, "Only the payouts of this referral."),
        *PAGE,
    ),
    errors=(422,),
    tag="payouts",
)
def payouts() -> Response:
    reader = inputs.query("status", "referral_id")
    status = reader.choice("status", PayoutStatus)
    referral_id = reader.number("referral_id")
    cursor, limit = reader.page()
    reader.done()
    return _page(queries.payouts(status, referral_id, cursor, limit), shapes.payout)


@endpoint(
    bp,
    "GET",
    "/people",
    summary="The staff directory",
    description="Active colleagues: id, name and department, nothing private.",
    scope=Scope.PEOPLE_READ,
    response=shapes.page_of("Person"),
    params=(Param("department_id", ID, "Only the people of this department."), *PAGE),
    errors=(422,),
    tag="people",
)
def people() -> Response:
    reader = inputs.query("department_id")
    department_id = reader.number("department_id")
    cursor, limit = reader.page()
    reader.done()
    return _page(queries.people(department_id, cursor, limit), shapes.person)
