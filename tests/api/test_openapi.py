"""The OpenAPI description: valid OpenAPI 3.1, served without a token, complete both ways
against the app's real /api/v1 routes, and what the API answers matches its schemas."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from community.api.openapi import document
from community.core.time import local_today
from community.pipeline import Stage
from community.referrals import services as referral_services
from tests.api.conftest import Api, Shop

FLASK_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def _served(api: Api) -> dict[str, Any]:
    response = api.get("/api/v1/openapi.json", None)
    assert response.status_code == 200 and response.is_json
    return response.json


def test_the_served_description_is_valid_openapi_3_1(api: Api) -> None:
    spec = _served(api)
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any problem


def test_every_api_route_is_described_and_every_description_is_a_route(
    app: Flask, api: Api
) -> None:
    spec = _served(api)
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = FLASK_PARAM.sub(r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    described = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert routes == described
    assert spec["servers"] == [{"url": "/api/v1"}]


def test_each_operation_names_its_scope_and_errors(api: Api) -> None:
    spec = _served(api)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if path == "/openapi.json":
                assert operation["security"] == []
                continue
            (requirement,) = operation["security"]
            assert requirement["bearer"] == [operation["x-scope"]], (path, method)
            assert {"401", "403", "429"} <= set(operation["responses"]), (path, method)


def _validator(spec: dict[str, Any], path: str, method: str = "get") -> Draft202012Validator:
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:api", resource)
    pointer = path.replace("~", "~0").replace("/", "~1")
    schema = {
        "$ref": f"urn:api#/paths/{pointer}/{method}/responses/200/content/application~1json/schema"
    }
    return Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize(
    ("path", "described"),
    [
        ("/api/v1/jobs", "/jobs"),
        ("/api/v1/jobs/{job}", "/jobs/{job_id}"),
        ("/api/v1/referrals", "/referrals"),
        ("/api/v1/referrals/{referral}", "/referrals/{referral_id}"),
        ("/api/v1/payouts", "/payouts"),
        ("/api/v1/people", "/people"),
    ],
)
def test_answers_match_their_schemas(
    api: Api, shop: Shop, token_for, path: str, described: str
) -> None:
    for stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        referral_services.advance_stage(shop.referral, stage, shop.hr, start_date=local_today())
    url = path.format(job=shop.job.id, referral=shop.referral.id)
    answer = api.get(url, token_for()).json
    errors = list(_validator(document(), described).iter_errors(answer))
    assert not errors, [error.message for error in errors]


def test_an_error_matches_the_error_schema(api: Api, token_for) -> None:
    answer = api.get("/api/v1/referrals?stage=lost", token_for()).json
    spec = document()
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:api", resource)
    validator = Draft202012Validator(
        {"$ref": "urn:api#/components/schemas/Error"}, registry=registry
    )
    assert not list(validator.iter_errors(answer))


def test_the_schema_check_catches_a_wrong_answer(api: Api, shop: Shop, token_for) -> None:
    answer = api.get("/api/v1/jobs", token_for()).json
    del answer["data"][0]["status"]
    answer["data"][0]["bonus"]["amount_minor"] = "8000.00"
    errors = list(_validator(document(), "/jobs").iter_errors(answer))
    assert len(errors) >= 1
