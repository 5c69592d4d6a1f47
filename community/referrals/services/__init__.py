"""Every write to referrals: submission (`submission`), and the moves through the pipeline,
withdrawal and "left the company" (`moves`). Each public function runs one transaction and
publishes what happened (`community.events`); the rooms that care listen."""

from community.referrals.errors import ReferralError
from community.referrals.services.moves import (
    advance_stage,
    record_left_company,
    withdraw_referral,
)
from community.referrals.services.submission import (
    KeptResume,
    ReferralSubmission,
    ResumeChoice,
    ResumeUpload,
    check_eligibility,
    choose_resume,
    fit_reason_problem,
    is_low_match,
    normalise_candidate_email,
    normalise_phone,
    normalise_resume_url,
    submit_referral,
)

__all__ = [
    "KeptResume",
    "ReferralError",
    "ReferralSubmission",
    "ResumeChoice",
    "ResumeUpload",
    "advance_stage",
    "check_eligibility",
    "choose_resume",
    "fit_reason_problem",
    "is_low_match",
    "normalise_candidate_email",
    "normalise_phone",
    "normalise_resume_url",
    "record_left_company",
    "submit_referral",
    "withdraw_referral",
]
