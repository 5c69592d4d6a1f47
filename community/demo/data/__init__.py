"""The demo company's data, by concern; every name is also importable from here, as before the
split (`from community.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD`).

- company: departments (and their English names), the demo logins and password, the name pools for the other employees
- jobs: the jobs with their full profiles (岗位画像), in Chinese and English
- candidates: the people referred, and the referrals with a fixed story
- referral_texts: what referrers and HR write as a referral moves along
- announcements: HR's announcements on the thanks wall
- perk_shop: the perks and the demo's redemptions
"""

from __future__ import annotations

from community.demo.data.announcements import ANNOUNCEMENTS
from community.demo.data.candidates import CANDIDATES, SCRIPTED_REFERRALS
from community.demo.data.company import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TRY,
    DEPARTMENT_NAMES_EN,
    DEPARTMENTS,
    GIVEN_NAMES,
    NEWCOMER_JOINED_DAYS_AGO,
    NEWCOMER_LOGIN,
    SURNAMES,
)
from community.demo.data.jobs import JOBS, PROFILE_EN
from community.demo.data.perk_shop import PERKS, REDEMPTION_REJECT_REASON, REDEMPTIONS
from community.demo.data.referral_texts import (
    DECLINED_OFFER_REASON,
    FEEDBACK,
    FIT_REASONS,
    INTERNAL_NOTES,
    LEFT_COMPANY_NOTE,
    OFFER_REJECTION_REASON,
    PAUSED_REASON,
    PAYOUT_CANCEL_REASON,
    REJECTION_REASONS,
    REREFERRAL_NOTE,
    WITHDRAWAL_REASONS,
)

__all__ = [
    "ANNOUNCEMENTS",
    "CANDIDATES",
    "DECLINED_OFFER_REASON",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TRY",
    "DEPARTMENTS",
    "DEPARTMENT_NAMES_EN",
    "FEEDBACK",
    "FIT_REASONS",
    "GIVEN_NAMES",
    "NEWCOMER_JOINED_DAYS_AGO",
    "NEWCOMER_LOGIN",
    "INTERNAL_NOTES",
    "JOBS",
    "LEFT_COMPANY_NOTE",
    "OFFER_REJECTION_REASON",
    "PAUSED_REASON",
    "PAYOUT_CANCEL_REASON",
    "PERKS",
    "PROFILE_EN",
    "REDEMPTIONS",
    "REDEMPTION_REJECT_REASON",
    "REJECTION_REASONS",
    "REREFERRAL_NOTE",
    "SCRIPTED_REFERRALS",
    "SURNAMES",
    "WITHDRAWAL_REASONS",
]
