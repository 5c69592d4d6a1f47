"""Every write to referrals: submission (`submission`), the moves through the pipeline,
withdrawal and "left the company" (`moves`), and the hiring manager's interview feedback
(`interviews`). Each public function runs one transaction; submission and the moves publish what
happened (`community.events`) and the rooms that care listen (feedback concerns no other room)."""

from community.referrals.errors import ReferralError
from community.referrals.services.interviews import (
    add_interview_feedback,
    check_interview_feedback,
)
from community.referrals.services.moves import (
    advance_stage,
    record_left_company,
    start_date_bounds,
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
    "add_interview_feedback",
    "advance_stage",
    "check_eligibility",
    "check_interview_feedback",
    "choose_resume",
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
