"""Routes on the challenges blueprint (see `views`)."""

from __future__ import annotations

from community.challenges.views import bp  # noqa: F401
