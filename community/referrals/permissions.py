"""Who may see and act on a referral: the referrer, HR, and the hiring manager of its job
(read-only, with interview feedback where the program rules allow); and nobody decides on or
gives feedback on a referral they made (another colleague does)."""

from __future__ import annotations

from flask import Flask

from community.accounts.models import User
from community.core.permissions import expose, is_hr
from community.core.roles import Role
from community.pipeline import SLA_STAGES
from community.program.queries import current_rules
from community.referrals.models import Referral

# Who can be named a job's hiring manager (jobs.services refuses anyone else).
HIRING_ROLES = (Role.MANAGER, Role.HR)


def can_review_referrals(user: User) -> bool:
    return is_hr(user)


def is_referrer_of(user: User, referral: Referral) -> bool:
    return referral.referrer_id == user.id


def can_view_hiring_referrals(user: User) -> bool:
    """Managers (and HR, who may also hire) have a page of the referrals to the jobs they hire
    for; an employee has none, even one still named on a job from before a change of role."""
    return bool(user and user.is_authenticated and user.role in HIRING_ROLES)


def is_hiring_manager_of(user: User, referral: Referral) -> bool:
    """`user` is the hiring manager named on the referral's job, and may still hire."""
    return can_view_hiring_referrals(user) and referral.job.hiring_manager_id == user.id


def follows_as_hiring_manager(user: User, referral: Referral) -> bool:
    """`user` follows the referral as its job's hiring manager. A manager who referred someone
    to their own job sees that referral as its referrer only."""
    return is_hiring_manager_of(user, referral) and not is_referrer_of(user, referral)


def can_view_referral(user: User, referral: Referral) -> bool:
    """The referrer, HR and the job's hiring manager see a referral, its candidate and its
    resume; nobody else does."""
    return (
        is_hr(user) or is_referrer_of(user, referral) or follows_as_hiring_manager(user, referral)
    )


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


def can_see_referral_rewards(user: User, referral: Referral) -> bool:
    """The bonus payouts and other rewards beside a referral are for HR and its referrer; the
    hiring manager follows the candidate, not the referrer's rewards."""
    return is_hr(user) or is_referrer_of(user, referral)


def can_view_interview_feedback(user: User, referral: Referral) -> bool:
    """HR and the job's hiring manager read the interview feedback; the referrer does not."""
    return is_hr(user) or follows_as_hiring_manager(user, referral)


def interview_feedback_allowed() -> bool:
    """The program rule: whether hiring managers may add interview feedback at all."""
    return bool(current_rules().hiring_managers_give_interview_feedback)


def is_open_for_interview_feedback(referral: Referral) -> bool:
    """Feedback belongs to a referral still being decided: not hired, not closed."""
    return referral.stage in SLA_STAGES


def can_give_interview_feedback(user: User, referral: Referral) -> bool:
    """The job's hiring manager adds interview feedback while the referral is being decided, if
    the program rules allow it, and never on a referral they made (like `can_decide_on`)."""
    return (
        follows_as_hiring_manager(user, referral)
        and is_open_for_interview_feedback(referral)
        and interview_feedback_allowed()
    )


def init_app(app: Flask) -> None:
    expose(app, can_review_referrals, can_view_referral, can_withdraw_referral, can_decide_on)
    expose(app, can_view_internal_notes, can_view_hiring_referrals, follows_as_hiring_manager)
    expose(app, can_see_referral_rewards, can_view_interview_feedback)
    expose(app, can_give_interview_feedback, interview_feedback_allowed)
    expose(app, is_open_for_interview_feedback, is_referrer_of)
