"""Payout factories: referrals walked through the real pipeline, and rules with a chosen split."""

from __future__ import annotations

from typing import Any

from community.accounts.models import User
from community.program.models import DEFAULT_STAGE_POINTS
from community.program.services import save_rules
from community.referrals.models import Stage

TO_HIRED = (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)


def rules_with_split(hr: User, split: dict[str, int], **fields: Any) -> None:
    save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split=split,
        stage_points=dict(DEFAULT_STAGE_POINTS),
        review_sla_days=3,
        **fields,
    )
