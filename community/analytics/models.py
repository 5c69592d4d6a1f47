"""The analytics rollups' tables."""

from __future__ import annotations
