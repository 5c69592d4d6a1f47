"""How fresh the dashboard's numbers are: the rollups are as of the worker's last run."""

from __future__ import annotations

from datetime import datetime

from community.analytics.models import RollupMark
from community.extensions import db

# The mark whose `as_of` says when the whole rollup duty last finished.
MARK = "analytics.rollup"


def rollups_as_of() -> datetime | None:
    """When the worker last brought the rollups up to date (naive UTC), or None before the
    first run."""
    mark = db.session.get(RollupMark, MARK)
    return mark.as_of if mark else None
