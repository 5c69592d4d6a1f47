from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    """Services translate their error messages, which needs a request (for the locale)."""
    with app.test_request_context():
        yield
