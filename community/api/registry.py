"""One registry of the API's endpoints: each route is added to the blueprint through `endpoint`,
which also records what the OpenAPI description says about it, so the routes and the document
cannot drift apart (tests/api/test_openapi.py checks both ways)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint

from community.api.auth import requires
from community.api.scopes import Scope
from community.core.permissions import public

F = TypeVar("F", bound=Callable[..., Any])
Schema = dict[str, Any]


@dataclass(frozen=True)
class Param:
    """A query parameter (path parameters come from the rule itself)."""

    name: str
    schema: Schema
    description: str
    required: bool = False


@dataclass(frozen=True)
class Endpoint:
    view: str
    method: str
    rule: str  # the Flask rule under the blueprint's prefix: /referrals/<int:referral_id>
    summary: str
    description: str
    scope: Scope | None
    response: Schema
    params: tuple[Param, ...] = ()
    body: Schema | None = None
    errors: tuple[int, ...] = ()
    tags: tuple[str, ...] = field(default=())

    @property
    def path(self) -> str:
        """The rule as OpenAPI writes a path: /referrals/{referral_id}."""
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", self.rule)


ENDPOINTS: list[Endpoint] = []


def endpoint(
    bp: Blueprint,
    method: str,
    rule: str,
    *,
    summary: str,
    description: str = "",
    scope: Scope | None,
    response: Schema,
    params: tuple[Param, ...] = (),
    body: Schema | None = None,
    errors: tuple[int, ...] = (),
    tag: str,
) -> Callable[[F], F]:
    """Add `view` to `bp` at `rule` for `method`, behind `requires(scope)`, marked public for
    the login check (the bearer token is the key, not the session), and record it for the
    OpenAPI description."""

    def decorator(view: F) -> F:
        ENDPOINTS.append(
            Endpoint(
                view=view.__name__,
                method=method.upper(),
                rule=rule,
                summary=summary,
                description=description,
                scope=scope,
                response=response,
                params=params,
                body=body,
                errors=errors,
                tags=(tag,),
            )
        )
        bp.add_url_rule(rule, view.__name__, public(requires(scope)(view)), methods=[method])
        return view

    return decorator
