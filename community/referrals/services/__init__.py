"""Every write to referrals: submission by the referrer's form (`submission`) or by the
candidate's own application through a referrer's link, code or invitation (`applications`, the
shared service of the links and invites rooms; both record through `candidacy`), the moves
through the pipeline, withdrawal and "left the company" (`moves`), and the hiring manager's
interview feedback (`interviews`). Each public function runs one transaction; submission and the
moves publish what happened (`community.events`) and the rooms that care listen (feedback
concerns no other room)."""

from community.referrals.errors import ReferralError
from community.referrals.services.applications import (
    Application,
    add_referrer_reason,
    check_link_open,
    received_message,
    submit_application,
)
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
    "Application",
    "KeptResume",
    "ReferralError",
    "ReferralSubmission",
    "ResumeChoice",
    "ResumeUpload",
    "add_interview_feedback",
    "add_referrer_reason",
    "advance_stage",
    "check_eligibility",
    "check_interview_feedback",
    "check_link_open",
    "choose_resume",
    "fit_reason_problem",
    "is_low_match",
    "normalise_candidate_email",
    "normalise_phone",
    "normalise_resume_url",
    "received_message",
    "record_left_company",
    "start_date_bounds",
    "submit_application",
    "submit_referral",
    "withdraw_referral",
]
