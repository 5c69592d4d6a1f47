"""Writes for jobs: create, edit, open and close. Every change is validated here, then committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.accounts.models import Department, Role, User
from community.core.localized import paired_lines, paired_text
from community.core.money import CURRENCIES, Money, minor_unit_factor
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus

logger = logging.getLogger(__name__)

MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 120
MAX_YEARS = 50
# Integer column: keep every bonus well inside 32 bits of minor units.
MAX_BONUS_MAJOR = Decimal(1_000_000)
LIST_FIELDS = ("competencies", "skills", "certificates", "soft_traits")


class JobError(ValueError):
    """A job could not be saved; `errors` maps a field name to a message for the person."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class JobFields:
    """Everything HR enters for a job. Lists may be given as lists or as one-item-per-line text.
    Each text has its Chinese wording (`title`) and its English (`title_en`); at least one title
    is needed. A job written in English only may leave the Chinese fields empty: its English is
    then kept as its only wording (`community.core.localized`)."""

    title: str = ""
    title_en: str = ""
    location_en: str = ""
    department_id: int | None = None
    location: str = ""
    family: JobFamily | str = JobFamily.OTHER
    description: str = ""
    description_en: str = ""
    competencies: Iterable[str] | str = ()
    competencies_en: Iterable[str] | str = ()
    education: Education | str = Education.NONE
    min_years: int | None = 0
    skills: Iterable[str] | str = ()
    skills_en: Iterable[str] | str = ()
    certificates: Iterable[str] | str = ()
    certificates_en: Iterable[str] | str = ()
    soft_traits: Iterable[str] | str = ()
    soft_traits_en: Iterable[str] | str = ()
    challenges: str = ""
    challenges_en: str = ""
    interview_focus: str = ""
    interview_focus_en: str = ""
    bonus_amount: str | Money = "0"
    bonus_currency: str = "CNY"
    hard_to_fill: bool = False
    hiring_manager_id: int | None = None


def clean_lines(value: Iterable[str] | str | None) -> list[str]:
    """Split one-item-per-line text (or take a list), strip, drop blanks and case-insensitive repeats."""
    return paired_lines(value, ())[0]


def parse_bonus(amount: str | Money | None, currency: str) -> Money:
    """Parse the referral bonus exactly (never through a float); raises JobError with a clear reason."""
    if currency not in CURRENCIES:
        raise JobError({"bonus_currency": _("Choose a currency from the list.")})
    if isinstance(amount, Money):
        if amount.currency != currency:
            raise JobError({"bonus_currency": _("The bonus currency does not match.")})
        text = amount.plain()
    else:
        text = (amount or "").strip() or "0"
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise JobError(
            {"bonus_amount": _("Enter the bonus as a number, for example 8000 or 8000.50.")}
        ) from None
    if not value.is_finite():
        raise JobError(
            {"bonus_amount": _("Enter the bonus as a number, for example 8000 or 8000.50.")}
        )
    if value < 0:
        raise JobError({"bonus_amount": _("The bonus cannot be negative.")})
    if value > MAX_BONUS_MAJOR:
        raise JobError(
            {
                "bonus_amount": _(
                    "The bonus cannot be more than %(max)s.", max=f"{MAX_BONUS_MAJOR:,}"
                )
            }
        )
    try:
        return Money.parse(cleaned, currency)
    except (ValueError, ArithmeticError):
        digits = len(str(minor_unit_factor(currency))) - 1
        if digits == 0:
            message = _("%(currency)s amounts are whole numbers.", currency=currency)
        else:
            message = _(
                "Use at most %(n)s decimal places for %(currency)s.", n=digits, currency=currency
            )
        raise JobError({"bonus_amount": message}) from None


def _validated(fields: JobFields) -> dict[str, Any]:
    """Check every field; return column values, or raise JobError listing every problem found."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    title, title_en = paired_text(
        " ".join((fields.title or "").split()), " ".join((fields.title_en or "").split())
    )
    if not title:
        errors["title"] = _("Enter the job title in Chinese, in English, or both.")
    elif max(len(title), len(title_en)) > 160:
        field = "title" if len(title) > 160 and (fields.title or "").strip() else "title_en"
        errors[field] = ngettext(
            "Keep the title under %(num)s character.",
            "Keep the title under %(num)s characters.",
            160,
        )
    values["title"] = title
    values["title_en"] = title_en or None

    location, location_en = paired_text(
        " ".join((fields.location or "").split()), " ".join((fields.location_en or "").split())
    )
    if not location:
        errors["location"] = _("Enter where the job is based.")
    elif max(len(location), len(location_en)) > 120:
        errors["location"] = ngettext(
            "Keep the location under %(num)s character.",
            "Keep the location under %(num)s characters.",
            120,
        )
    values["location"] = location
    values["location_en"] = location_en or None

    department = db.session.get(Department, fields.department_id) if fields.department_id else None
    if department is None:
        errors["department_id"] = _("Choose a department.")
    values["department_id"] = fields.department_id

    try:
        values["family"] = JobFamily(fields.family)
    except ValueError:
        errors["family"] = _("Choose a job family from the list.")
    try:
        values["education"] = Education(fields.education)
    except ValueError:
        errors["education"] = _("Choose an education level from the list.")

    if fields.min_years is None:
        values["min_years"] = 0
    elif not isinstance(fields.min_years, int) or not 0 <= fields.min_years <= MAX_YEARS:
        errors["min_years"] = _("Minimum years must be between 0 and %(max)s.", max=MAX_YEARS)
    else:
        values["min_years"] = fields.min_years

    for name in LIST_FIELDS:
        items, items_en = paired_lines(getattr(fields, name), getattr(fields, f"{name}_en"))
        if len(items) > MAX_LIST_ITEMS:
            errors[name] = ngettext(
                "List at most %(num)s item, one per line.",
                "List at most %(num)s items, one per line.",
                MAX_LIST_ITEMS,
            )
        elif any(len(item) > MAX_ITEM_LENGTH for item in items + items_en):
            errors[name] = ngettext(
                "Keep each item under %(num)s character.",
                "Keep each item under %(num)s characters.",
                MAX_ITEM_LENGTH,
            )
        values[name] = items
        values[f"{name}_en"] = items_en

    description, description_en = paired_text(fields.description, fields.description_en)
    if max(len(description), len(description_en)) > 20_000:
        errors["description"] = ngettext(
            "The description is too long (at most %(num)s character).",
            "The description is too long (at most %(num)s characters).",
            20_000,
        )
    values["description"], values["description_en"] = description, description_en
    challenges, challenges_en = paired_text(fields.challenges, fields.challenges_en)
    if max(len(challenges), len(challenges_en)) > 5_000:
        errors["challenges"] = ngettext(
            "Keep the challenges under %(num)s character.",
            "Keep the challenges under %(num)s characters.",
            5_000,
        )
    values["challenges"], values["challenges_en"] = challenges, challenges_en
    focus, focus_en = paired_text(fields.interview_focus, fields.interview_focus_en)
    if max(len(focus), len(focus_en)) > 5_000:
        errors["interview_focus"] = ngettext(
            "Keep the interview focus under %(num)s character.",
            "Keep the interview focus under %(num)s characters.",
            5_000,
        )
    values["interview_focus"], values["interview_focus_en"] = focus, focus_en

    try:
        bonus = parse_bonus(fields.bonus_amount, fields.bonus_currency)
        values["bonus_minor"] = bonus.amount_minor
        values["bonus_currency"] = bonus.currency
    except JobError as exc:
        errors.update(exc.errors)

    manager_id = fields.hiring_manager_id
    if manager_id:
        manager = db.session.get(User, manager_id)
        if (
            manager is None
            or not manager.is_active_account
            or manager.role not in (Role.MANAGER, Role.HR)
        ):
            errors["hiring_manager_id"] = _(
                "The hiring manager must be an active manager or HR colleague."
            )
    values["hiring_manager_id"] = manager_id or None
    values["hard_to_fill"] = bool(fields.hard_to_fill)

    if errors:
        raise JobError(errors)
    return values


def job_field_errors(fields: JobFields) -> dict[str, str]:
    """Every problem with `fields` (empty when they are valid). Writes nothing."""
    try:
        _validated(fields)
    except JobError as exc:
        return exc.errors
    return {}


def create_job(actor: User | None, fields: JobFields, *, open_now: bool = False) -> Job:
    """Create a job as a draft (or open it at once with `open_now`). Raises JobError on bad input."""
    values = _validated(fields)
    job = Job(**values, created_by_id=actor.id if actor else None, status=JobStatus.DRAFT)
    if open_now:
        job.status = JobStatus.OPEN
        job.opened_at = utcnow()
    db.session.add(job)
    if open_now:
        db.session.flush()
        _announce_opened(actor, job)
    db.session.commit()
    logger.info("job %s created by %s (status %s)", job.id, actor and actor.id, job.status)
    return job


def update_job(actor: User | None, job: Job, fields: JobFields) -> Job:
    """Replace a job's profile with `fields`; its status is unchanged. Raises JobError on bad input."""
    values = _validated(fields)
    for name, value in values.items():
        setattr(job, name, value)
    db.session.commit()
    logger.info("job %s edited by %s", job.id, actor and actor.id)
    return job


def open_job(actor: User | None, job: Job) -> Job:
    """Open a draft or reopen a closed job so employees can refer to it. Opening an open job is a no-op."""
    if job.status != JobStatus.OPEN:
        job.status = JobStatus.OPEN
        job.opened_at = utcnow()
        job.closed_at = None
        _announce_opened(actor, job)
        db.session.commit()
        logger.info("job %s opened by %s", job.id, actor and actor.id)
    return job


def _announce_opened(actor: User | None, job: Job) -> None:
    events.publish(
        events.JobOpened(
            job_id=job.id,
            title=job.title,
            title_en=job.title_en,
            actor_id=actor.id if actor else None,
            at=job.opened_at or utcnow(),
        )
    )


def close_job(actor: User | None, job: Job) -> Job:
    """Close an open job: it stops taking referrals. Closing a closed job is a no-op; a draft cannot."""
    if job.status == JobStatus.DRAFT:
        raise JobError({"status": _("A draft has never been open, so it cannot be closed.")})
    if job.status != JobStatus.CLOSED:
        job.status = JobStatus.CLOSED
        job.closed_at = utcnow()
        events.publish(
            events.JobClosed(job_id=job.id, actor_id=actor.id if actor else None, at=job.closed_at)
        )
        db.session.commit()
        logger.info("job %s closed by %s", job.id, actor and actor.id)
    return job
