"""Submitting a referral: the referrer's answers checked, the candidate stored only with
consent, ownership and self-referral refused without naming anyone, all in one transaction that
publishes `events.ReferralSubmitted`."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import gettext as _
from flask_babel import ngettext

from community.accounts.models import User
from community.core.emails import EmailError, normalise_email
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.time import utcnow
from community.core.uploads import HeldFile, HeldFileError, UploadError
from community.extensions import db
from community.jobs.models import Job, hard_requirements
from community.program.queries import current_rules
from community.referrals import resumes
from community.referrals.errors import ReferralError
from community.referrals.models import (
    Assessment,
    KnownFor,
    Referral,
    ReferralSource,
    Relationship,
)
from community.referrals.services import candidacy

MIN_FIT_REASON_CHARS = 30
MAX_RESUME_URL = 500


# Submission ---------------------------------------------------------------------------------


@dataclass
class ReferralSubmission:
    """What a referrer tells us about a candidate (already parsed from the form)."""

    candidate_name: str
    relationship: Relationship | str
    known_for: KnownFor | str
    fit_reason: str
    consent: bool
    email: str | None = None
    phone: str | None = None
    current_employer: str | None = None
    current_title: str | None = None
    hard_assessment: dict[str, str] = field(default_factory=dict)
    soft_ratings: dict[str, int] = field(default_factory=dict)
    resume_url: str | None = None
    confirm_low_match: bool = False
    source: ReferralSource = ReferralSource.FORM  # how it came: the form, a link, a code, an invite


@dataclass
class ResumeUpload:
    """An uploaded file: a readable stream and the name the browser sent."""

    stream: IO[bytes]
    filename: str | None


@dataclass(frozen=True)
class KeptResume:
    """A resume held for the referrer's next try of the form (`resumes.hold_resume`)."""

    token: str
    filename: str


@dataclass(frozen=True)
class ResumeChoice:
    """The resume a form now carries (`kept`), why a file just chosen was not taken (`problem`),
    and whether one was let go because the candidate's consent was not confirmed."""

    kept: KeptResume | None
    problem: str | None = None
    dropped_without_consent: bool = False


def _kept(held: HeldFile) -> KeptResume:
    return KeptResume(held.token, held.filename)


def choose_resume(
    referrer: User,
    upload: ResumeUpload | None,
    kept_token: str | None,
    *,
    consent: bool,
    forget: bool = False,
) -> ResumeChoice:
    """Hold the resume of a referral form so that a failed submit need not choose it again.

    A new file is checked and held for the referrer, replacing the one held before; a bad new
    file leaves the one held before as it was and says what is wrong. Without a new file, the
    held one (`kept_token`) is used if it is still the referrer's and not expired, unless they
    asked to `forget` it (then it is removed). Nothing is held without the candidate's
    `consent` (a candidate's resume is personal data): a held one is removed then.
    """
    token = (kept_token or "").strip()
    chosen = upload is not None and bool((upload.filename or "").strip())
    if token and (forget or not consent):
        with contextlib.suppress(HeldFileError):
            resumes.release_held_resume(resumes.find_held_resume(token, referrer.id))
        if not consent:
            return ResumeChoice(None, dropped_without_consent=True)
        token = ""
    if not consent:
        return ResumeChoice(None, dropped_without_consent=chosen)
    held: HeldFile | None = None
    problem: str | None = None
    if token:
        try:
            held = resumes.find_held_resume(token, referrer.id)
        except HeldFileError as exc:
            problem = exc.message
    if upload is not None and chosen:
        try:
            checked = resumes.check_resume(upload.stream, upload.filename)
        except UploadError as exc:
            return ResumeChoice(_kept(held) if held else None, exc.message)
        resumes.release_held_resume(held)
        return ResumeChoice(_kept(resumes.hold_resume(checked, referrer.id)))
    return ResumeChoice(_kept(held) if held else None, problem)


def normalise_candidate_email(value: str | None) -> str | None:
    """The candidate's address as `core.emails` normalises every address; None when empty.
    Raises ReferralError (field "email") when it is not an address."""
    try:
        return normalise_email(value)
    except EmailError as exc:
        raise ReferralError(_("Please enter a valid email address."), field="email") from exc


def normalise_phone(value: str | None, region: str = "CN") -> str | None:
    """The number in E.164 (+8613812345678); None when empty. Raises ReferralError when invalid."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ReferralError(_("Please enter a valid phone number."), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ReferralError(_("Please enter a valid phone number."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_resume_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > MAX_RESUME_URL:
        raise ReferralError(
            _("The resume link must be a web address starting with http:// or https://."),
            field="resume_url",
        )
    return value


def fit_reason_problem(text_value: str | None) -> str | None:
    """Why a "why this person fits" text is not enough, or None when it is."""
    cleaned = " ".join((text_value or "").split())
    if len(cleaned) < MIN_FIT_REASON_CHARS:
        return ngettext(
            "Tell HR why this person fits in at least %(num)s character: their hard skills and how they work with others.",
            "Tell HR why this person fits in at least %(num)s characters: their hard skills and how they work with others.",
            MIN_FIT_REASON_CHARS,
        )
    return None


def is_low_match(job: Job, hard_assessment: dict[str, str]) -> bool:
    """True when more than half of the job's hard requirements are marked "does not meet"."""
    keys = [req.key for req in hard_requirements(job)]
    if not keys:
        return False
    misses = sum(1 for key in keys if hard_assessment.get(key) == Assessment.DOES_NOT_MEET)
    return misses * 2 > len(keys)


def check_eligibility(referrer: User, job: Job) -> None:
    """Raise the refusal a referrer would get for this job before filling in anything."""
    if not current_rules().is_department_eligible(referrer.department_id):
        raise ReferralError(
            _(
                "Your department is not part of the referral program at the moment. See the program rules for who can refer."
            ),
            status=FORBIDDEN,
        )
    if not job.is_open:
        raise ReferralError(_("This job is not open for referrals."), status=CONFLICT)


def _validate_submission(
    job: Job, data: ReferralSubmission
) -> tuple[str, str | None, str | None, Relationship, KnownFor, dict[str, str], dict[str, int]]:
    if not data.consent:
        raise ReferralError(
            _(
                "Please confirm that the candidate agreed to be referred. We store nothing without it."
            ),
            field="consent",
        )
    name = " ".join((data.candidate_name or "").split())
    if not name:
        raise ReferralError(_("Please enter the candidate's name."), field="candidate_name")
    email = normalise_candidate_email(data.email)
    phone = normalise_phone(data.phone)
    if not email and not phone:
        raise ReferralError(
            _("Please give the candidate's email or phone number (at least one)."), field="email"
        )
    problem = fit_reason_problem(data.fit_reason)
    if problem:
        raise ReferralError(problem, field="fit_reason")
    try:
        relationship_kind = Relationship(data.relationship)
        known_for = KnownFor(data.known_for)
    except ValueError as exc:
        raise ReferralError(_("Please choose how you know the candidate.")) from exc
    hard: dict[str, str] = {}
    for req in hard_requirements(job):
        value = (data.hard_assessment or {}).get(req.key)
        try:
            hard[req.key] = Assessment(value).value
        except ValueError as exc:
            raise ReferralError(
                _("Please assess every hard requirement of the job."), field="hard"
            ) from exc
    soft: dict[str, int] = {}
    for trait in job.soft_traits or []:
        try:
            rating = int((data.soft_ratings or {}).get(trait))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise ReferralError(_("Please rate every soft trait from 1 to 5."), field="soft")
        soft[trait] = rating
    return name[:120], email, phone, relationship_kind, known_for, hard, soft


def submit_referral(
    referrer: User,
    job: Job,
    data: ReferralSubmission,
    resume_upload: ResumeUpload | None = None,
    kept_resume: str | None = None,
) -> Referral:
    """Refer a candidate to a job, in one transaction.

    Refuses (raising ReferralError) when the referrer's department is not eligible, the
    job is not open, consent was not confirmed, the contact details or answers are incomplete, the
    candidate is an employee, someone already owns the candidate, the resume is unacceptable, or
    most hard requirements are not met and the referrer has not confirmed (`confirm_low_match`).
    On success the referral, its candidate and its first event are committed together with
    whatever the listeners of `events.ReferralSubmitted` write (badges, the reviewers'
    notifications); the resume file is removed again if the commit fails. The resume is either
    `resume_upload` or the one held under the token `kept_resume` (`choose_resume`), which is
    released once the referral is committed.
    """
    check_eligibility(referrer, job)
    name, email, phone, relationship_kind, known_for, hard, soft = _validate_submission(job, data)
    resume_url = normalise_resume_url(data.resume_url)
    checked_resume, held = candidacy.read_resume(
        resume_upload.stream if resume_upload else None,
        resume_upload.filename if resume_upload else None,
        kept_resume,
        referrer.id,
    )
    if checked_resume is None and not resume_url:
        raise ReferralError(
            _("Please upload the candidate's resume (PDF or Word) or give a link to it."),
            field="resume",
        )
    forbidden = candidacy.forbidden_candidate(referrer, email)
    if forbidden == candidacy.Forbidden.SELF:
        raise ReferralError(
            _("You cannot refer yourself. To apply for a job, talk to HR."), field="email"
        )
    if forbidden == candidacy.Forbidden.EMPLOYEE:
        raise ReferralError(
            _(
                "This person already works here, so they cannot be referred. Internal moves go through HR."
            ),
            field="email",
        )

    now = utcnow()
    candidacy.lock_candidate_identity(email, phone)
    try:
        _refuse_owned_or_unconfirmed(referrer, job, email, phone, hard, data.confirm_low_match, now)
    except ReferralError:
        db.session.rollback()  # release the candidate lock at once
        raise
    return candidacy.record_referral(
        referrer,
        job,
        candidacy.Candidacy(
            name=name,
            email=email,
            phone=phone,
            relationship=relationship_kind,
            known_for=known_for,
            fit_reason=(data.fit_reason or "").strip(),
            source=ReferralSource(data.source),
            current_employer=data.current_employer,
            current_title=data.current_title,
            hard=hard,
            soft=soft,
            resume=checked_resume,
            held=held,
            resume_url=resume_url,
            actor=referrer,
        ),
        now,
    )


def _refuse_owned_or_unconfirmed(
    referrer: User,
    job: Job,
    email: str | None,
    phone: str | None,
    hard: dict[str, str],
    confirm_low_match: bool,
    now: datetime,
) -> None:
    """Refuse a candidate someone owns inside the ownership window, or a low match not confirmed."""
    owners = candidacy.owners_of(referrer, job, email, phone, now)
    if owners.referrer_for_job:
        raise ReferralError(
            _("You have already referred this candidate to this job."), status=CONFLICT
        )
    if owners.someone_else:
        # Deliberately the same words whoever owns the candidate: nothing about the other referral.
        raise ReferralError(
            _(
                "This candidate has already been referred recently, so we cannot accept this referral. Thank you for thinking of them."
            ),
            status=CONFLICT,
        )
    if is_low_match(job, hard) and not confirm_low_match:
        raise ReferralError(
            _(
                "You marked most hard requirements as not met. A referral that does not fit rarely helps the candidate. Please confirm that you still want to refer them."
            ),
            field="confirm_low_match",
            code="low_match",
        )
