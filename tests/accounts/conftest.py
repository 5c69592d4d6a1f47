"""Fixtures for the account tests.

The shared `_clean_state` fixture keeps one app context pushed for the whole test, and Flask
reuses it for every request the test client makes; Flask-Login (`g._login_user`) and Flask-Babel
(`g._flask_babel`) cache per-request state on that shared `g`. These tests switch users, end
sessions and change languages, so each request here starts with those caches cleared, like a
real request would.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, g

from tests.conftest import CSRFClient


def fresh_requests(client: CSRFClient) -> CSRFClient:
    """Make every request of `client` start without the per-request caches of an earlier one."""
    original = client.open

    def open_fresh(*args: Any, **kwargs: Any) -> Any:
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)
        return original(*args, **kwargs)

    client.open = open_fresh  # type: ignore[method-assign]
    # Pages are asserted in English; a user's own `locale` still wins.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client(app: Flask) -> CSRFClient:
    return fresh_requests(app.test_client())


@pytest.fixture
def new_client(app: Flask):
    """A second browser, e.g. HR acting while another person is logged in elsewhere."""
    return lambda: fresh_requests(app.test_client())
