from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from community.links import counting


@pytest.fixture(autouse=True)
def _fresh_salts() -> Iterator[None]:
    """Redis is flushed before each test: forget this process's copies of the daily salts."""
    counting.forget_salts()
    yield
    counting.forget_salts()


@pytest.fixture
def limits(app: Flask) -> Iterator[dict[str, str]]:
    """Set the links room's rate limits for one test (restored after)."""
    keys = ("LINKS_LOOKUP_RATE_LIMIT", "LINKS_APPLY_RATE_LIMIT", "LINKS_PER_LINK_RATE_LIMIT")
    saved = {key: app.config[key] for key in keys}
    yield app.config  # type: ignore[misc]
    app.config.update(saved)
