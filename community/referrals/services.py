"""Every write to referrals: submission, stage changes, withdrawal and "left the company".

Each public function runs one transaction: the referral, its event and the notifications it causes
are committed together or not at all. Refusals are typed exceptions whose `message` is already in
the user's language and safe to show (it never names another referrer or referral).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import IntegrityError

from community.accounts.models import Role, User
from community.badges.services import evaluate_referral_event
from community.core.permissions import is_hr
from community.core.time import add_working_days, local_today, to_local, utcnow
from community.extensions import db
from community.jobs.models import Job, hard_requirements
from community.notifications.models import NotificationKind
from community.notifications.services import notify
from community.payouts import services as payouts
from community.points.services import award_stage_points
from community.program.queries import current_rules
from community.referrals import uploads
from community.referrals.labels import stage_label
from community.referrals.models import (
    PIPELINE,
    SLA_STAGES,
    Assessment,
    Candidate,
    EventKind,
    KnownFor,
    Referral,
    ReferralEvent,
    Relationship,
    Stage,
)

logger = logging.getLogger(__name__)

MIN_FIT_REASON_CHARS = 30
MAX_RESUME_URL = 500


# Refusals -----------------------------------------------------------------------------------


class ReferralError(Exception):
    """A refusal the user can understand. `status` is the HTTP status a route should answer with;
    `field` names the form field the message belongs to, when there is one."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotEligible(ReferralError):
    status = 403


class JobNotOpen(ReferralError):
    status = 409


class AlreadyReferred(ReferralError):
    status = 409


class CandidateIsEmployee(ReferralError):
    pass


class InvalidSubmission(ReferralError):
    pass


class BadResume(ReferralError):
    pass


class LowMatchNotConfirmed(ReferralError):
    """Most hard requirements are marked "does not meet" and the referrer has not confirmed yet."""


class NotAllowed(ReferralError):
    status = 403


class InvalidTransition(ReferralError):
    pass


class StageConflict(ReferralError):
    """The referral already moved (a repeated submit, or someone else was quicker)."""

    status = 409


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


@dataclass
class ResumeUpload:
    """An uploaded file: a readable stream and the name the browser sent."""

    stream: IO[bytes]
    filename: str | None


def normalise_email(value: str | None) -> str | None:
    """Lower-cased, normalised address; None when empty. Raises InvalidSubmission when invalid."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidSubmission(_("Please enter a valid email address."), field="email") from exc
    return result.normalized.lower()


def normalise_phone(value: str | None, region: str = "CN") -> str | None:
    """The number in E.164 (+8613812345678); None when empty. Raises InvalidSubmission when invalid."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidSubmission(_("Please enter a valid phone number."), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidSubmission(_("Please enter a valid phone number."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_resume_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > MAX_RESUME_URL:
        raise InvalidSubmission(
            _("The resume link must be a web address starting with http:// or https://."),
            field="resume_url",
        )
    return value


def fit_reason_problem(text_value: str | None) -> str | None:
    """Why a "why this person fits" text is not enough, or None when it is."""
    cleaned = " ".join((text_value or "").split())
    if len(cleaned) < MIN_FIT_REASON_CHARS:
        return _(
            "Tell HR why this person fits in at least %(n)s characters: their hard skills and how they work with others.",
            n=MIN_FIT_REASON_CHARS,
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
        raise NotEligible(
            _(
                "Your department is not part of the referral program at the moment. See the program rules for who can refer."
            )
        )
    if not job.is_open:
        raise JobNotOpen(_("This job is not open for referrals."))


def _lock_candidate_identity(keys: list[str]) -> None:
    """On PostgreSQL, serialize submissions for the same email/phone until this transaction ends,
    so two people referring the same candidate at the same moment cannot both own them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        digest = hashlib.sha256(f"candidate:{key}".encode()).digest()
        lock_id = int.from_bytes(digest[:8], "big", signed=True)
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def _validate_submission(
    job: Job, data: ReferralSubmission
) -> tuple[str, str | None, str | None, Relationship, KnownFor, dict[str, str], dict[str, int]]:
    if not data.consent:
        raise InvalidSubmission(
            _(
                "Please confirm that the candidate agreed to be referred. We store nothing without it."
            ),
            field="consent",
        )
    name = " ".join((data.candidate_name or "").split())
    if not name:
        raise InvalidSubmission(_("Please enter the candidate's name."), field="candidate_name")
    email = normalise_email(data.email)
    phone = normalise_phone(data.phone)
    if not email and not phone:
        raise InvalidSubmission(
            _("Please give the candidate's email or phone number (at least one)."), field="email"
        )
    problem = fit_reason_problem(data.fit_reason)
    if problem:
        raise InvalidSubmission(problem, field="fit_reason")
    try:
        relationship_kind = Relationship(data.relationship)
        known_for = KnownFor(data.known_for)
    except ValueError as exc:
        raise InvalidSubmission(_("Please choose how you know the candidate.")) from exc
    hard: dict[str, str] = {}
    for req in hard_requirements(job):
        value = (data.hard_assessment or {}).get(req.key)
        try:
            hard[req.key] = Assessment(value).value
        except ValueError as exc:
            raise InvalidSubmission(
                _("Please assess every hard requirement of the job."), field="hard"
            ) from exc
    soft: dict[str, int] = {}
    for trait in job.soft_traits or []:
        try:
            rating = int((data.soft_ratings or {}).get(trait))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise InvalidSubmission(_("Please rate every soft trait from 1 to 5."), field="soft")
        soft[trait] = rating
    return name[:120], email, phone, relationship_kind, known_for, hard, soft


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
    same_person = []
    if email:
        same_person.append(Candidate.email == email)
    if phone:
        same_person.append(Candidate.phone == phone)
    owners = db.session.execute(
        select(Referral.referrer_id, Referral.job_id)
        .join(Candidate, Referral.candidate_id == Candidate.id)
        .where(
            or_(*same_person),
            Referral.stage != Stage.WITHDRAWN,
            Referral.owned_until > now,
        )
    ).all()
    if any(r.referrer_id == referrer.id and r.job_id == job.id for r in owners):
        raise AlreadyReferred(_("You have already referred this candidate to this job."))
    if any(r.referrer_id != referrer.id for r in owners):
        # Deliberately the same words whoever owns the candidate: nothing about the other referral.
        raise AlreadyReferred(
            _(
                "This candidate has already been referred recently, so we cannot accept this referral. Thank you for thinking of them."
            )
        )

    if is_low_match(job, hard) and not confirm_low_match:
        raise LowMatchNotConfirmed(
            _(
                "You marked most hard requirements as not met. A referral that does not fit rarely helps the candidate. Please confirm that you still want to refer them."
            ),
            field="confirm_low_match",
        )


def submit_referral(
    referrer: User,
    job: Job,
    data: ReferralSubmission,
    resume_upload: ResumeUpload | None = None,
) -> Referral:
    """Refer a candidate to a job, in one transaction.

    Refuses (raising a ReferralError subclass) when the referrer's department is not eligible, the
    job is not open, consent was not confirmed, the contact details or answers are incomplete, the
    candidate is an employee, someone already owns the candidate, the resume is unacceptable, or
    most hard requirements are not met and the referrer has not confirmed (`confirm_low_match`).
    On success the referral, its candidate, its first event and the HR notifications are committed
    together; the resume file is removed again if the commit fails.
    """
    check_eligibility(referrer, job)
    name, email, phone, relationship_kind, known_for, hard, soft = _validate_submission(job, data)
    resume_url = normalise_resume_url(data.resume_url)

    checked_resume = None
    if resume_upload is not None and (resume_upload.filename or "").strip():
        try:
            checked_resume = uploads.check_resume(resume_upload.stream, resume_upload.filename)
        except uploads.ResumeError as exc:
            raise BadResume(exc.message, field="resume") from exc
    if checked_resume is None and not resume_url:
        raise InvalidSubmission(
            _("Please upload the candidate's resume (PDF or Word) or give a link to it."),
            field="resume",
        )

    if email and db.session.scalar(
        select(func.count(User.id)).where(func.lower(User.email) == email)
    ):
        raise CandidateIsEmployee(
            _(
                "This person already works here, so they cannot be referred. Internal moves go through HR."
            ),
            field="email",
        )

    now = utcnow()
    rules = current_rules()
    _lock_candidate_identity([k for k in (email, phone) if k])
    try:
        _refuse_owned_or_unconfirmed(referrer, job, email, phone, hard, data.confirm_low_match, now)
    except ReferralError:
        db.session.rollback()  # release the candidate lock at once
        raise

    if rules.id is None:
        # HR never saved rules: keep the defaults this referral met, so later edits do not change it.
        db.session.add(rules)

    stored_name = uploads.store_resume(checked_resume) if checked_resume else None
    try:
        candidate = Candidate(
            name=name,
            email=email,
            phone=phone,
            current_employer=(data.current_employer or "").strip()[:160] or None,
            current_title=(data.current_title or "").strip()[:160] or None,
        )
        referral = Referral(
            job=job,
            referrer=referrer,
            candidate=candidate,
            rules=rules,
            relationship_kind=relationship_kind,
            known_for=known_for,
            fit_reason=(data.fit_reason or "").strip(),
            hard_assessment=hard,
            soft_ratings=soft,
            resume_file=stored_name,
            resume_filename=checked_resume.filename if checked_resume else None,
            resume_mimetype=checked_resume.mimetype if checked_resume else None,
            resume_url=resume_url,
            consent_confirmed_at=now,
            bonus_minor=job.bonus_minor,
            bonus_currency=job.bonus_currency,
            stage=Stage.SUBMITTED,
            stage_changed_at=now,
            submitted_at=now,
            review_due_at=add_working_days(now, rules.review_sla_days),
            owned_until=now + timedelta(days=rules.ownership_window_days),
        )
        db.session.add_all([candidate, referral])
        db.session.add(
            ReferralEvent(
                referral=referral,
                kind=EventKind.STAGE_CHANGE,
                from_stage=None,
                to_stage=Stage.SUBMITTED,
                actor=referrer,
                created_at=now,
            )
        )
        db.session.flush()
        _notify_hr_received(referral)
        evaluate_referral_event(referral, Stage.SUBMITTED, at=now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete_resume(stored_name)
        raise
    logger.info("referral %s submitted by user %s for job %s", referral.id, referrer.id, job.id)
    return referral


def _referral_link(referral: Referral) -> str:
    try:
        return url_for("referrals.detail", referral_id=referral.id)
    except RuntimeError:  # outside a request (CLI seed): a plain path works the same
        return f"/referrals/{referral.id}"


def _notify_hr_received(referral: Referral) -> None:
    hr_ids = db.session.scalars(
        select(User.id).where(User.role == Role.HR, User.is_active_account.is_(True))
    ).all()
    params = {
        "referrer": referral.referrer.shown_name,
        "candidate": referral.candidate.name,
        "job": referral.job.title,
    }
    for user_id in hr_ids:
        if user_id != referral.referrer_id:
            notify(user_id, NotificationKind.REFERRAL_RECEIVED, params, _referral_link(referral))


# The pipeline -------------------------------------------------------------------------------


def allowed_next_stages(referral: Referral) -> list[Stage]:
    """Forward stages HR may move the referral to from where it is (not rejected / withdrawn)."""
    stage = referral.stage
    if stage.is_terminal or stage not in PIPELINE:
        return []
    position = PIPELINE.index(stage)
    options = [PIPELINE[position + 1]] if position + 1 < len(PIPELINE) else []
    # Referrals may skip the first screening and go straight to the interview (the seed's promise).
    if stage == Stage.SUBMITTED:
        options.append(Stage.INTERVIEWING)
    if referral.left_company_on is not None:
        options = [s for s in options if s != Stage.PROBATION_PASSED]
    return options


def _check_transition(referral: Referral, to_stage: Stage, actor: User, reason: str | None) -> None:
    current = referral.stage
    if current.is_terminal:
        raise InvalidTransition(
            _(
                "This referral is closed (%(stage)s) and cannot move any more.",
                stage=stage_label(current),
            )
        )
    if current.is_hired and to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
        raise InvalidTransition(
            _(
                "The candidate has been hired, so the referral can no longer be rejected or withdrawn. If they leave, record that they left the company."
            )
        )
    if to_stage == Stage.WITHDRAWN:
        if not (is_hr(actor) or actor.id == referral.referrer_id):
            raise NotAllowed(_("You cannot withdraw this referral."))
        if not reason:
            raise InvalidTransition(_("Please give a reason for withdrawing."), field="reason")
        return
    if not is_hr(actor):
        raise NotAllowed(_("Only HR can move a referral through the pipeline."))
    if to_stage == Stage.REJECTED:
        if not reason:
            raise InvalidTransition(
                _("Please give a reason when a referral does not move forward."), field="reason"
            )
        return
    if to_stage == Stage.PROBATION_PASSED and referral.left_company_on is not None:
        raise InvalidTransition(
            _("The hire has left the company, so probation cannot be marked as passed.")
        )
    if to_stage not in allowed_next_stages(referral):
        if to_stage in PIPELINE and PIPELINE.index(to_stage) < PIPELINE.index(current):
            raise InvalidTransition(
                _(
                    "Referrals only move forward. It is already at %(stage)s.",
                    stage=stage_label(current),
                )
            )
        raise InvalidTransition(
            _(
                "A referral at %(current)s cannot move straight to %(stage)s.",
                current=stage_label(current),
                stage=stage_label(to_stage),
            )
        )


def _lock(referral: Referral) -> Referral:
    """Re-read the referral with a row lock (FOR UPDATE on PostgreSQL) so concurrent moves serialize."""
    return db.session.scalars(
        select(Referral)
        .where(Referral.id == referral.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _clean(value: str | None, limit: int = 4000) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def advance_stage(
    referral: Referral,
    to_stage: Stage | str,
    actor: User,
    *,
    internal_note: str | None = None,
    feedback: str | None = None,
    reason: str | None = None,
    expected_from: Stage | str | None = None,
    at: datetime | None = None,
) -> Referral:
    """Move a referral to `to_stage`, recording who, when, an internal note and feedback for the
    referrer, and notifying the referrer — all in one transaction.

    Forward only along PIPELINE (next stage, or submitted → interviewing); rejected needs a reason;
    withdrawn (HR, or the referrer) needs a reason; closed referrals do not move. `expected_from`
    is the stage the actor saw: if the referral moved meanwhile (a repeated submit), nothing is
    recorded and StageConflict is raised. `at` backdates the change (demo data only).
    Reaching a stage awards the referrer its points (once per referral and stage) in the same
    transaction.
    """
    try:
        to_stage = Stage(to_stage)
        expected = Stage(expected_from) if expected_from else None
    except ValueError as exc:
        raise InvalidTransition(_("Unknown stage.")) from exc
    reason = _clean(reason)
    locked = _lock(referral)
    if locked.stage == to_stage or (expected is not None and locked.stage != expected):
        db.session.rollback()
        raise StageConflict(
            _("This referral has already moved to %(stage)s.", stage=stage_label(locked.stage))
        )
    try:
        _check_transition(locked, to_stage, actor, reason)
    except ReferralError:
        db.session.rollback()
        raise

    now = at or utcnow()
    from_stage = locked.stage
    feedback = _clean(feedback)
    sla_days = current_rules().review_sla_days
    params = {
        "candidate": locked.candidate.name,
        "job": locked.job.title,
        "stage": to_stage.value,
        "has_feedback": bool(feedback or reason),
    }
    try:
        db.session.add(
            ReferralEvent(
                referral_id=locked.id,
                kind=EventKind.STAGE_CHANGE,
                from_stage=from_stage,
                to_stage=to_stage,
                actor_id=actor.id,
                internal_note=_clean(internal_note),
                feedback=feedback,
                reason=reason,
                created_at=now,
            )
        )
        locked.stage = to_stage
        locked.stage_changed_at = now
        if from_stage == Stage.SUBMITTED and to_stage in PIPELINE:
            # Points for submitting are earned once HR accepts the referral (no point farming).
            award_stage_points(locked, Stage.SUBMITTED, at=now)
        award_stage_points(locked, to_stage, at=now)
        evaluate_referral_event(locked, to_stage, at=now)
        locked.review_due_at = add_working_days(now, sla_days) if to_stage in SLA_STAGES else None
        payouts.create_payout_for_stage(locked, to_stage, at=now)
        if actor.id != locked.referrer_id:
            notify(
                locked.referrer_id, NotificationKind.REFERRAL_STAGE, params, _referral_link(locked)
            )
        db.session.commit()
    except IntegrityError as exc:
        # The unique (referral, to_stage) caught a concurrent duplicate: report it, record nothing.
        db.session.rollback()
        raise StageConflict(
            _("This referral has already moved to %(stage)s.", stage=stage_label(to_stage))
        ) from exc
    logger.info("referral %s moved %s -> %s by user %s", locked.id, from_stage, to_stage, actor.id)
    return locked


def withdraw_referral(referral: Referral, actor: User, reason: str | None) -> Referral:
    """Withdraw a referral that is still open (the referrer or HR; a reason is required)."""
    return advance_stage(
        referral, Stage.WITHDRAWN, actor, reason=reason, expected_from=referral.stage
    )


def hired_on(referral: Referral) -> date | None:
    """The local date the referral reached "hired", from its history."""
    for event in referral.events:
        if event.to_stage == Stage.HIRED:
            return to_local(event.created_at).date()
    return None


def record_left_company(
    referral: Referral, actor: User, left_on: date, note: str | None = None
) -> Referral:
    """Record that a hired referral left the company on `left_on` (HR only), notify the referrer.

    Only for hired or probation-passed referrals, once; the date may not be in the future or
    before the hire.
    """
    if not is_hr(actor):
        raise NotAllowed(_("Only HR can record that a hire left the company."))
    locked = _lock(referral)
    try:
        if locked.stage not in (Stage.HIRED, Stage.PROBATION_PASSED):
            raise InvalidTransition(
                _("Only a hired referral can be recorded as having left the company.")
            )
        if locked.left_company_on is not None:
            raise StageConflict(_("It is already recorded that this hire left the company."))
        if left_on > local_today():
            raise InvalidTransition(_("The leaving date cannot be in the future."), field="left_on")
        start = hired_on(locked)
        if start and left_on < start:
            raise InvalidTransition(
                _("The leaving date cannot be before the hire date."), field="left_on"
            )
    except ReferralError:
        db.session.rollback()
        raise
    locked.left_company_on = left_on
    db.session.add(
        ReferralEvent(
            referral_id=locked.id,
            kind=EventKind.LEFT_COMPANY,
            from_stage=locked.stage,
            to_stage=None,
            actor_id=actor.id,
            internal_note=_clean(note),
        )
    )
    notify(
        locked.referrer_id,
        NotificationKind.REFERRAL_LEFT,
        {
            "candidate": locked.candidate.name,
            "job": locked.job.title,
            "left_on": left_on.isoformat(),
        },
        _referral_link(locked),
    )
    payouts.cancel_after_leaving(locked, actor, at=utcnow())
    db.session.commit()
    logger.info("referral %s: hire left on %s (recorded by %s)", locked.id, left_on, actor.id)
    return locked
