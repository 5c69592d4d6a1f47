"""The JSON API for HR integrations (/api/v1): scoped tokens made by HR and stored hashed,
authenticated by `Authorization: Bearer`, rate-limited per token, answering JSON only, described
by OpenAPI 3.1 from the same registry the routes come from. See docs/api.md."""

from __future__ import annotations

from flask import Flask, current_app


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]  # read per call: a test may lower it


def init_app(app: Flask) -> None:
    from community.api import sessions
    from community.api.auth import rate_limit_key
    from community.api.routes import bp
    from community.api.v1 import bp as v1_bp
    from community.core import errors
    from community.extensions import csrf, limiter

    app.register_blueprint(bp)
    # Bearer-token calls carry no cookie a forged cross-site form could ride on: CSRF has
    # nothing to protect (tests/security/policy.py).
    csrf.exempt(v1_bp)
    limiter.limit(_rate_limit, key_func=rate_limit_key)(v1_bp)
    app.register_blueprint(v1_bp)
    errors.answer_in_json(app, "/api/", except_paths=("/api/docs",))
    sessions.init_app(app)
