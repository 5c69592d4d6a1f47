"""Interview feedback: the job's hiring manager writes down what they learnt about the candidate,
for HR to read on the referral. It moves nothing and earns nothing, so no event is published."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import stage_label
from community.referrals import queries
from community.referrals.errors import ReferralError
from community.referrals.models import InterviewFeedback, Referral
from community.referrals.permissions import (
    follows_as_hiring_manager,
    interview_feedback_allowed,
    is_hiring_manager_of,
    is_open_for_interview_feedback,
    is_referrer_of,
)

logger = logging.getLogger(__name__)

MAX_FEEDBACK_LENGTH = 4000


def check_interview_feedback(referral: Referral, author: User) -> None:
    """Raise ReferralError saying why `author` may not add interview feedback to `referral`."""
    if is_referrer_of(author, referral) and is_hiring_manager_of(author, referral):
        raise ReferralError(
            _("You referred this person, so you cannot give feedback on their interviews."),
            status=FORBIDDEN,
            code="own_referral",
        )
    if not follows_as_hiring_manager(author, referral):
        raise ReferralError(
            _("Only the job's hiring manager can add interview feedback."), status=FORBIDDEN
        )
    if not interview_feedback_allowed():
        raise ReferralError(
            _("The program rules do not let hiring managers add interview feedback at the moment."),
            status=FORBIDDEN,
            code="not_allowed",
        )
    if not is_open_for_interview_feedback(referral):
        raise ReferralError(
            _(
                "This referral is at %(stage)s: interview feedback can no longer be added.",
                stage=stage_label(referral.stage),
            ),
            status=CONFLICT,
            code="closed",
        )


def add_interview_feedback(referral: Referral, author: User, body: str | None) -> InterviewFeedback:
    """Record `author`'s interview feedback on `referral` for HR, and commit.

    Only the job's hiring manager, never on a referral they made, while the referral is being
    decided (submitted to offer) and while the program rules allow it. Raises ReferralError
    (403, 409, or 422 with field "body" for an empty or too long text); nothing is written then.
    """
    check_interview_feedback(referral, author)
    text = (body or "").strip()
    if not text:
        raise ReferralError(_("Please write your feedback first."), field="body")
    if len(text) > MAX_FEEDBACK_LENGTH:
        raise ReferralError(
            ngettext(
                "Please keep your feedback under %(num)s character.",
                "Please keep your feedback under %(num)s characters.",
                MAX_FEEDBACK_LENGTH,
            ),
            field="body",
        )
    feedback = InterviewFeedback(referral_id=referral.id, author_id=author.id, body=text)
    db.session.add(feedback)
    db.session.flush()
    events.publish(
        events.InterviewFeedbackAdded(
            referral_id=referral.id,
            author_name=author.shown_name,
            job_title=referral.job.title,
            candidate_name=referral.candidate.name,
            reviewer_ids=queries.reviewer_ids(referral),
            at=feedback.created_at or utcnow(),
        )
    )
    db.session.commit()
    logger.info("interview feedback %s on referral %s by %s", feedback.id, referral.id, author.id)
    return feedback
