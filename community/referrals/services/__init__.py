"""Every write to referrals: submission (`submission`), and the moves through the pipeline,
withdrawal and "left the company" (`moves`). Each public function runs one transaction and
publishes what happened (`community.events`); the rooms that care listen."""

from community.referrals.errors import ReferralError
from community.referrals.services.moves import (
    advance_stage,
    record_left_company,
    start_date_bounds,
    withdraw_referral,
)
from community.referrals.services.submission import (
    ReferralSubmission,
    ResumeUpload,
    check_eligibility,
    fit_reason_problem,
    is_low_match,
    normalise_candidate_email,
    normalise_phone,
    normalise_resume_url,
    submit_referral,
)

__all__ = [
    "ReferralError",
    "ReferralSubmission",
    "ResumeUpload",
    "advance_stage",
    "check_eligibility",
    "fit_reason_problem",
    "is_low_match",
    "normalise_candidate_email",
    "normalise_phone",
    "normalise_resume_url",
    "record_left_company",
    "start_date_bounds",
    "submit_referral",
    "withdraw_referral",
]
