"""Who may see and act on a referral: the referrer and HR, nobody else; and nobody decides on a
referral they made (another HR colleague does)."""

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


def is_referrer_of(user: User, referral: Referral) -> bool:
    return referral.referrer_id == user.id


def can_decide_on(user: User, referral: Referral) -> bool:
    """HR moves, rejects, gives feedback on and records leaving for a referral, unless they made
    it: points and payouts never come from one's own decision. (Candidates are never employees:
    submission refuses referring one, so the referrer is the only one to keep out.)"""
    return is_hr(user) and not is_referrer_of(user, referral)


def can_withdraw_referral(user: User, referral: Referral) -> bool:
    stage = referral.stage
    return (is_hr(user) or referral.referrer_id == user.id) and not (
        stage.is_terminal or stage.is_hired
    )


def can_view_internal_notes(user: User, referral: Referral | None = None) -> bool:
    """HR's internal notes are for HR alone: never the referrer's, not even when the referrer
    is an HR officer reading their own referral."""
    return is_hr(user) and (referral is None or not is_referrer_of(user, referral))


def init_app(app: Flask) -> None:
    expose(app, can_review_referrals, can_view_referral, can_withdraw_referral, can_decide_on)
    expose(app, can_view_internal_notes, is_referrer_of)
