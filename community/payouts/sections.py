"""What payouts add to a referral's page (`referrals.sections`): the bonus line in its header
and the list of its payouts beside it."""

from __future__ import annotations

from typing import Any

from community.accounts.models import User
from community.payouts.queries import exclusion_reason, payouts_for_referral
from community.referrals import sections
from community.referrals.models import Referral


def _summary(referral: Referral, viewer: User) -> dict[str, Any] | None:
    if not referral.bonus_minor:
        return None
    return {"exclusion": exclusion_reason(referral), "own": referral.referrer_id == viewer.id}


def _panel(referral: Referral, viewer: User) -> dict[str, Any] | None:
    payouts = payouts_for_referral(referral)
    if not payouts:
        return None
    return {"payouts": payouts, "own": referral.referrer_id == viewer.id}


def init_app() -> None:
    sections.register(sections.Section("summary", "payouts/_referral_summary.html", _summary))
    sections.register(sections.Section("aside", "payouts/_referral_panel.html", _panel))
