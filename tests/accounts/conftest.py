"""Fixtures for the account tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import CSRFClient


@pytest.fixture
def new_client(app: Flask) -> Callable[[], CSRFClient]:
    """A second browser, e.g. HR acting while another person is logged in elsewhere."""
    return app.test_client
