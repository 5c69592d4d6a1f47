"""Who may see and act on a referral: the referrer and HR, nobody else."""

from __future__ import annotations

from flask import Flask

from community.accounts.models import User
from community.core.permissions import expose, is_hr
from community.referrals.models import Referral


def can_review_referrals(user: User) -> bool:
    return is_hr(user)


def can_view_referral(user: User, referral: Referral) -> bool:
    """The referrer and HR see a referral, its candidate and its resume; nobody else does."""
    return is_hr(user) or referral.referrer_id == user.id


def can_withdraw_referral(user: User, referral: Referral) -> bool:
    stage = referral.stage
    return (is_hr(user) or referral.referrer_id == user.id) and not (
        stage.is_terminal or stage.is_hired
    )


def can_view_internal_notes(user: User) -> bool:
    return is_hr(user)


def init_app(app: Flask) -> None:
    expose(app, can_review_referrals, can_view_referral, can_withdraw_referral)
    expose(app, can_view_internal_notes)
