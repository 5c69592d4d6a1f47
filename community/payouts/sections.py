"""What payouts add to a referral's page (`referrals.sections`): the bonus line in its header
and, once a share is earned or the candidate hired, its bonus schedule beside it."""

from __future__ import annotations

from typing import Any

from community.accounts.models import User
from community.payouts.queries import exclusion_reason, payouts_for_referral
from community.payouts.schedule import add_up, schedule_for
from community.referrals import sections
from community.referrals.models import Referral


def _summary(referral: Referral, viewer: User) -> dict[str, Any] | None:
    if not referral.bonus_minor:
        return None
    return {"exclusion": exclusion_reason(referral), "own": referral.referrer_id == viewer.id}


def _panel(referral: Referral, viewer: User) -> dict[str, Any] | None:
    shares = schedule_for(referral, payouts_for_referral(referral))
    if not shares or not (referral.stage.is_hired or any(s.payout for s in shares)):
        return None
    return {
        "shares": shares,
        "own": referral.referrer_id == viewer.id,
        "still_to_come": add_up(s.amount for s in shares if s.state.is_still_to_come),
    }


def init_app() -> None:
    sections.register(sections.Section("summary", "payouts/_referral_summary.html", _summary))
    sections.register(sections.Section("aside", "payouts/_referral_panel.html", _panel))
