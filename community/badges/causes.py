"""How badges explain their ledger entries on "My points": the badge by its name, in the
reader's language (`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _

from community.badges import registry
from community.points.causes import Cause, register
from community.points.models import PointEntry


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    found: dict[int, Cause] = {}
    for entry in entries:
        badge = registry.get(entry.badge_key or "")
        if badge is not None:
            tier = entry.idempotency_key.rsplit(":", 1)[-1] if entry.idempotency_key else ""
            name = badge.label(tier if tier in badge.tier_keys else "")
            found[entry.id] = Cause("bi-award", _("Badge earned: %(badge)s", badge=name))
    return found


def init_app() -> None:
    register(describe)
