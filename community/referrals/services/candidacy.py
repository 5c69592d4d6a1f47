"""What every way of referring someone shares, whoever filled in the details: the referrer's
form (`submission.submit_referral`) or the candidate's own application through the referrer's
link, code or invitation (`applications.submit_application`).

The callers check and word their own input (a referrer reads "the candidate", a candidate reads
"you"); this module holds the rules both keep — the resume read once, who the candidate may not
be (the referrer, an employee), who owns them already — and records the referral, its candidate
and its first step in one transaction that publishes `events.ReferralSubmitted`."""

from __future__ import annotations

import enum
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text

from community import events
from community.accounts.models import User
from community.core.emails import email_identity, matches_email
from community.core.time import add_working_days
from community.core.uploads import HeldFile, HeldFileError, UploadError
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage
from community.program.queries import current_rules
from community.referrals import queries, resumes
from community.referrals.errors import ReferralError
from community.referrals.models import (
    Candidate,
    EventKind,
    KnownFor,
    Referral,
    ReferralEvent,
    ReferralSource,
    Relationship,
)
from community.referrals.resumes import CheckedResume

logger = logging.getLogger(__name__)


@dataclass
class Candidacy:
    """A referral ready to be recorded: every detail already checked and normalised."""

    name: str
    email: str | None
    phone: str | None
    relationship: Relationship
    known_for: KnownFor
    fit_reason: str
    source: ReferralSource
    current_employer: str | None = None
    current_title: str | None = None
    locale: str | None = None
    hard: dict[str, str] = field(default_factory=dict)
    soft: dict[str, int] = field(default_factory=dict)
    resume: CheckedResume | None = None
    held: HeldFile | None = None  # a held resume to release once the referral is committed
    resume_url: str | None = None
    # Who took the first step: the referrer for their form, nobody (None) for an application.
    actor: User | None = None


class Forbidden(enum.StrEnum):
    """Why a person may not be referred at all, whoever owns them."""

    SELF = "self"  # the referrer
    EMPLOYEE = "employee"  # works here: internal moves go through HR


@dataclass(frozen=True)
class Owners:
    """Who owns a candidate inside the ownership window, as far as a referral of `job` by
    `referrer` cares: the referrer for this very job, and whether anyone else does."""

    referrer_for_job: bool
    someone_else: bool

    @property
    def any(self) -> bool:
        return self.referrer_for_job or self.someone_else


def read_resume(
    upload_stream: object | None, upload_name: str | None, kept_token: str | None, owner_id: int
) -> tuple[CheckedResume | None, HeldFile | None]:
    """The resume a referral carries: a new upload (checked), else the one held under
    `kept_token` for `owner_id` (checked again), else None. ReferralError (field "resume") when
    the file is not acceptable or the held one expired or is someone else's."""
    try:
        if upload_stream is not None and (upload_name or "").strip():
            return resumes.check_resume(upload_stream, upload_name), None  # type: ignore[arg-type]
        if (kept_token or "").strip():
            held = resumes.find_held_resume(kept_token or "", owner_id)
            return resumes.read_held_resume(held), held
    except (UploadError, HeldFileError) as exc:
        raise ReferralError(exc.message, field="resume", code=exc.code) from exc
    return None, None


def forbidden_candidate(referrer: User, email: str | None) -> Forbidden | None:
    """Whether the candidate with this (normalised) address is the referrer or an employee."""
    if not email:
        return None
    if email_identity(email) == email_identity(referrer.email):
        return Forbidden.SELF
    if db.session.scalar(select(func.count(User.id)).where(matches_email(User.email_key, email))):
        return Forbidden.EMPLOYEE
    return None


def lock_candidate_identity(email: str | None, phone: str | None) -> None:
    """On PostgreSQL, serialize referrals of the same email/phone until this transaction ends,
    so two people referring the same candidate at the same moment cannot both own them. A
    caller that then refuses must roll back at once to release the lock."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    keys = [k for k in (email and email_identity(email), phone) if k]
    for key in sorted(keys):
        digest = hashlib.sha256(f"candidate:{key}".encode()).digest()
        lock_id = int.from_bytes(digest[:8], "big", signed=True)
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def owners_of(
    referrer: User, job: Job, email: str | None, phone: str | None, now: datetime
) -> Owners:
    """Who owns the candidate with this email or phone: a live referral (not withdrawn) whose
    ownership window has not ended."""
    same_person = []
    if email:
        same_person.append(matches_email(Candidate.email_key, email))
    if phone:
        same_person.append(Candidate.phone == phone)
    if not same_person:
        return Owners(False, False)
    rows = db.session.execute(
        select(Referral.referrer_id, Referral.job_id)
        .join(Candidate, Referral.candidate_id == Candidate.id)
        .where(or_(*same_person), Referral.stage != Stage.WITHDRAWN, Referral.owned_until > now)
    ).all()
    return Owners(
        referrer_for_job=any(r.referrer_id == referrer.id and r.job_id == job.id for r in rows),
        someone_else=any(r.referrer_id != referrer.id for r in rows),
    )


def record_referral(referrer: User, job: Job, candidacy: Candidacy, now: datetime) -> Referral:
    """Write the referral owned by `referrer`, its candidate and its first step, publish
    `events.ReferralSubmitted` and commit; the stored resume is removed again if the commit
    fails, the held one released once it succeeded. Call it inside the candidate lock, after
    every refusal."""
    rules = current_rules()
    if rules.id is None:
        # HR never saved rules: keep the defaults this referral met, so later edits do not change it.
        db.session.add(rules)
    checked = candidacy.resume
    stored_name = resumes.store_resume(checked) if checked else None
    try:
        candidate = Candidate(
            name=candidacy.name,
            email=candidacy.email,
            phone=candidacy.phone,
            current_employer=(candidacy.current_employer or "").strip()[:160] or None,
            current_title=(candidacy.current_title or "").strip()[:160] or None,
            locale=candidacy.locale,
        )
        referral = Referral(
            job=job,
            referrer=referrer,
            candidate=candidate,
            rules=rules,
            relationship_kind=candidacy.relationship,
            known_for=candidacy.known_for,
            fit_reason=candidacy.fit_reason,
            hard_assessment=candidacy.hard,
            soft_ratings=candidacy.soft,
            resume_file=stored_name,
            resume_filename=checked.filename if checked else None,
            resume_mimetype=checked.mimetype if checked else None,
            resume_url=candidacy.resume_url,
            consent_confirmed_at=now,
            source=candidacy.source,
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
                actor=candidacy.actor,
                created_at=now,
            )
        )
        db.session.flush()
        events.publish(
            events.ReferralSubmitted(
                referral_id=referral.id,
                referrer_id=referrer.id,
                referrer_name=referrer.shown_name,
                job_id=job.id,
                job_title=job.title,
                candidate_name=candidate.name,
                reviewer_ids=queries.reviewer_ids(referral),
                at=now,
                source=candidacy.source.value,
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        resumes.delete_resume(stored_name)
        raise
    resumes.release_held_resume(candidacy.held)  # stored as the referral's own copy: used up
    logger.info(
        "referral %s (%s) recorded for user %s, job %s",
        referral.id,
        candidacy.source.value,
        referrer.id,
        job.id,
    )
    return referral
