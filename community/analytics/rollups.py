"""The rollups the dashboard reads, kept current by the worker."""

from __future__ import annotations


def register() -> None:
    """Register the worker duty that keeps the rollups current."""
