"""Challenges in tests: one made and scheduled through the services, dates relative to now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from community.accounts.models import User
from community.challenges import services
from community.challenges.models import Challenge
from community.challenges.rules import ChallengeFields, PrizeFields
from community.core.time import utcnow


def fields(**overrides: Any) -> ChallengeFields:
    now = utcnow()
    values: dict[str, Any] = {
        "title": "十二月内推冲刺",
        "title_en": "December referral sprint",
        "starts_at": now,
        "ends_at": now + timedelta(days=14),
    }
    values.update(overrides)
    return ChallengeFields(**values)


def make_challenge(
    host: User, *, schedule: bool = True, prizes: list[PrizeFields] | None = None, **overrides: Any
) -> Challenge:
    """A challenge hosted by `host` (HR schedules at once; a manager's waits for approval)."""
    challenge = services.create_challenge(host, fields(**overrides))
    for prize in prizes or []:
        services.add_prize(host, challenge.id, prize)
    if schedule:
        services.submit_challenge(host, challenge.id)
    return challenge
