"""A candidate's own application through a referrer's personal link, referral code or invitation,
recorded as a referral the referrer owns (the shared service of the links and invites rooms).

The referrer gave no assessment, and the referral says so honestly: relationship "other", known
for the shortest time, no hard or soft assessment, and an empty `fit_reason` that the referral's
pages show as "applied themselves through the referrer's link" (`referrals.labels`) until the
referrer writes their own reason (`add_referrer_reason`).

The same rules as the referrer's form hold (`candidacy`): the referrer's department must be in
the program and the job open, the candidate may not be the referrer nor an employee, and whoever
owns them inside the ownership window keeps them. A candidate already owned — by this referrer or
another — is refused with `code="duplicate"` and a neutral thank-you: nothing is written, the
referrer is told nothing, and neither learns who else referred them; the page shows the duplicate
exactly as it shows a success.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _

from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.i18n import normalise_locale
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage
from community.program.queries import current_rules
from community.referrals.errors import ReferralError
from community.referrals.models import KnownFor, Referral, ReferralSource, Relationship
from community.referrals.services import candidacy
from community.referrals.services.submission import (
    ResumeUpload,
    fit_reason_problem,
    normalise_candidate_email,
    normalise_phone,
    normalise_resume_url,
)

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"  # ReferralError.code of a candidate already owned: show a thank-you
CLOSED = "closed"  # the link cannot take applications (job closed, referrer out of the program)
# How an application is recorded where a referrer would have said how they know the candidate.
APPLIED_RELATIONSHIP = Relationship.OTHER
APPLIED_KNOWN_FOR = KnownFor.UNDER_1


@dataclass
class Application:
    """What a candidate gives when applying through a referrer's link, code or invitation.

    At least one of `email` and `phone`. The resume is a new file (`resume`), or one held from
    the candidate's try that was not accepted (`kept_resume`, a token of `choose_resume` held for
    the referrer's id: the token is secret to the candidate's form), or a web address
    (`resume_url`). `consent`: the candidate agreed to the privacy notice themselves.
    `locale`: the language they applied in (kept on the candidate, to write to them in it).
    """

    name: str
    consent: bool
    email: str | None = None
    phone: str | None = None
    current_employer: str | None = None
    current_title: str | None = None
    resume: ResumeUpload | None = None
    kept_resume: str | None = None
    resume_url: str | None = None
    locale: str | None = None


def check_link_open(referrer: User, job: Job) -> None:
    """Raise ReferralError (code "closed") when an application to `job` through `referrer`
    cannot be taken: the job is not open, the referrer no longer works here or their department
    is not in the referral program. The words are the candidate's: nothing about why."""
    if (
        not job.is_open
        or not referrer.is_active_account
        or not current_rules().is_department_eligible(referrer.department_id)
    ):
        raise ReferralError(
            _("This job is not taking applications through this link at the moment."),
            status=CONFLICT,
            code=CLOSED,
        )


def received_message() -> str:
    """What a candidate reads once their application is in — and, word for word, when it was
    not recorded because someone already referred them."""
    return _(
        "Thank you, we have received your application. If your profile fits, the recruiting team will contact you."
    )


def _validate(application: Application) -> tuple[str, str | None, str | None, str | None]:
    if not application.consent:
        raise ReferralError(
            _("Please agree to the privacy notice. We store nothing without it."), field="consent"
        )
    name = " ".join((application.name or "").split())
    if not name:
        raise ReferralError(_("Please enter your name."), field="name")
    email = normalise_candidate_email(application.email)
    phone = normalise_phone(application.phone)
    if not email and not phone:
        raise ReferralError(
            _("Please give your email or phone number (at least one)."), field="email"
        )
    return name[:120], email, phone, normalise_resume_url(application.resume_url)


def submit_application(
    referrer: User, job: Job, application: Application, source: ReferralSource
) -> Referral:
    """Turn a candidate's own application to `job` into a referral owned by `referrer`, with
    `source` (link, code or invite), in one transaction publishing `events.ReferralSubmitted`.

    Raises ReferralError, with nothing written, when the link cannot take applications (code
    "closed"), consent is missing, the name, contact details or resume are missing or invalid,
    the candidate is the referrer or an employee, or — code "duplicate", message
    `received_message()` — someone already owns the candidate.
    """
    if source == ReferralSource.FORM:
        raise ValueError("an application comes by a link, a code or an invitation")
    check_link_open(referrer, job)
    name, email, phone, resume_url = _validate(application)
    upload = application.resume
    checked_resume, held = candidacy.read_resume(
        upload.stream if upload else None,
        upload.filename if upload else None,
        application.kept_resume,
        referrer.id,
    )
    if checked_resume is None and not resume_url:
        raise ReferralError(
            _("Please upload your resume (PDF or Word) or give a link to it."), field="resume"
        )
    forbidden = candidacy.forbidden_candidate(referrer, email)
    if forbidden == candidacy.Forbidden.SELF:
        raise ReferralError(
            _("You cannot apply through your own referral link."), field="email", status=FORBIDDEN
        )
    if forbidden == candidacy.Forbidden.EMPLOYEE:
        raise ReferralError(
            _(
                "People who work here cannot apply through a referral link. For an internal move, talk to HR."
            ),
            field="email",
            status=FORBIDDEN,
        )

    now = utcnow()
    candidacy.lock_candidate_identity(email, phone)
    if candidacy.owners_of(referrer, job, email, phone, now).any:
        db.session.rollback()  # release the candidate lock at once
        # No referral, no notification, no word of the owner: the candidate reads a thank-you.
        logger.info(
            "application through user %s for job %s not recorded: the candidate is owned",
            referrer.id,
            job.id,
        )
        raise ReferralError(received_message(), status=CONFLICT, code=DUPLICATE)
    return candidacy.record_referral(
        referrer,
        job,
        candidacy.Candidacy(
            name=name,
            email=email,
            phone=phone,
            relationship=APPLIED_RELATIONSHIP,
            known_for=APPLIED_KNOWN_FOR,
            fit_reason="",  # the referrer's own words may come later (add_referrer_reason)
            source=ReferralSource(source),
            current_employer=application.current_employer,
            current_title=application.current_title,
            locale=normalise_locale(application.locale),
            resume=checked_resume,
            held=held,
            resume_url=resume_url,
            actor=None,  # the candidate, who has no account
        ),
        now,
    )


def add_referrer_reason(
    referrer: User,
    referral: Referral,
    relationship: Relationship | str,
    known_for: KnownFor | str,
    fit_reason: str,
) -> Referral:
    """The referrer's own word on a candidate who applied through their link, code or
    invitation: how they know them and why they fit, written once, while HR has not decided.

    Raises ReferralError when it is not the referrer's referral (403), it came by the form or
    the referrer already wrote their reason (409), it has left "submitted" (409), or the answers
    are incomplete (422)."""
    if referral.referrer_id != referrer.id:
        raise ReferralError(_("Only the referrer can add their reason."), status=FORBIDDEN)
    if referral.source == ReferralSource.FORM or referral.fit_reason:
        raise ReferralError(_("This referral already has your reason."), status=CONFLICT)
    if referral.stage != Stage.SUBMITTED:
        raise ReferralError(
            _("HR has already reviewed this referral, so the reason can no longer be added."),
            status=CONFLICT,
        )
    try:
        relationship_kind = Relationship(relationship)
        known = KnownFor(known_for)
    except ValueError as exc:
        raise ReferralError(_("Please choose how you know the candidate.")) from exc
    problem = fit_reason_problem(fit_reason)
    if problem:
        raise ReferralError(problem, field="fit_reason")
    referral.relationship_kind = relationship_kind
    referral.known_for = known
    referral.fit_reason = fit_reason.strip()
    db.session.commit()
    logger.info("referrer %s added their reason to referral %s", referrer.id, referral.id)
    return referral
