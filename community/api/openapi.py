"""The OpenAPI 3.1 description, written from the endpoint registry (`registry.ENDPOINTS`) and
the resource schemas (`shapes.SCHEMAS`): the routes and the document come from one place."""

from __future__ import annotations

from typing import Any

from community.api import shapes
from community.api.registry import ENDPOINTS, Endpoint
from community.api.scopes import Scope

Json = dict[str, Any]

VERSION = "1.0.0"
ERROR_TEXT = {
    401: "No token, or one that is unknown, revoked or expired.",
    403: "The token lacks the scope (code missing_scope), or the move is not allowed.",
    404: "Nothing with that id.",
    409: "The referral is already at that stage, or moved meanwhile.",
    422: "Invalid input: `fields` names each problem.",
    429: "Too many requests for this token: wait for Retry-After seconds.",
}


def _error(status: int) -> Json:
    return {
        "description": ERROR_TEXT[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _operation(spec: Endpoint) -> Json:
    parameters: list[Json] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
        for name in spec.path_params
    ]
    parameters += [
        {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": param.schema,
        }
        for param in spec.params
    ]
    responses: Json = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": spec.response}},
        }
    }
    statuses = set(spec.errors) | ({401, 403, 429} if spec.scope else set())
    for status in sorted(statuses):
        responses[str(status)] = _error(status)
    operation: Json = {
        "operationId": spec.view,
        "summary": spec.summary,
        "tags": list(spec.tags),
        "responses": responses,
    }
    if spec.description:
        operation["description"] = spec.description
    if parameters:
        operation["parameters"] = parameters
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": spec.body}},
        }
    if spec.scope is None:
        operation["security"] = []
    else:
        operation["security"] = [{"bearer": [spec.scope.value]}]
        operation["x-scope"] = spec.scope.value
    return operation


def document(server: str = "/api/v1") -> Json:
    """The whole description, for /api/v1/openapi.json and HR's /api/docs page."""
    paths: Json = {}
    for spec in ENDPOINTS:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Referral Community API",
            "version": VERSION,
            "description": "For HR integrations (an ATS, payroll, a data warehouse). Make a "
            "token on the API tokens page (HR), send it as `Authorization: Bearer rc_…`. "
            "Lists are pages in id order: pass `next_cursor` back as `cursor`.",
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in dict.fromkeys(t for s in ENDPOINTS for t in s.tags)],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token made by HR. Scopes: "
                    + ", ".join(scope.value for scope in Scope),
                }
            },
            "schemas": shapes.SCHEMAS,
        },
    }
