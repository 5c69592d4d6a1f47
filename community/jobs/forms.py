"""The job form: HR's editor for a job and its profile (岗位画像)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.core.money import CURRENCIES
from community.jobs.labels import education_labels, job_family_labels
from community.jobs.models import Job
from community.jobs.services import JobFields

ONE_PER_LINE = _l("One per line.")


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class JobForm(FlaskForm):
    title = StringField(
        _l("Job title"),
        validators=[DataRequired(_l("Enter a job title.")), Length(max=160)],
    )
    department_id = SelectField(
        _l("Department"),
        coerce=_int_or_none,
        validate_choice=False,
        validators=[DataRequired(_l("Choose a department."))],
    )
    location = StringField(
        _l("Location"),
        validators=[DataRequired(_l("Enter where the job is based.")), Length(max=120)],
    )
    family = SelectField(
        _l("Job family"),
        choices=lambda: [SelectChoice(f.value, label) for f, label in job_family_labels().items()],
        default="other",
    )
    hiring_manager_id = SelectField(
        _l("Hiring manager"), coerce=_int_or_none, validate_choice=False
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20_000)],
        description=_l("Markdown: **bold**, *italic*, lists and links. HTML is shown as text."),
        render_kw={"rows": 8},
    )
    competencies = TextAreaField(
        _l("Core competencies"),
        description=_l("One per line, e.g. System design. What the person must be good at."),
        render_kw={"rows": 4},
    )
    education = SelectField(
        _l("Minimum education"),
        choices=lambda: [SelectChoice(e.value, label) for e, label in education_labels().items()],
        default="none",
    )
    min_years = IntegerField(
        _l("Minimum years of experience"),
        validators=[
            Optional(),
            NumberRange(min=0, max=50, message=_l("Minimum years must be between 0 and 50.")),
        ],
        default=0,
    )
    skills = TextAreaField(
        _l("Required skills"),
        description=_l("One per line, e.g. Python or Industry contacts in FMCG."),
        render_kw={"rows": 4},
    )
    certificates = TextAreaField(
        _l("Required certificates"), description=ONE_PER_LINE, render_kw={"rows": 2}
    )
    soft_traits = TextAreaField(
        _l("Soft traits"),
        description=_l("One per line, e.g. Communication, Resilience, Teamwork."),
        render_kw={"rows": 3},
    )
    challenges = TextAreaField(
        _l("Honest challenges"),
        validators=[Length(max=5_000)],
        description=_l(
            "What is hard about this job (pressure, travel, on-call). Candidates who know stay longer."
        ),
        render_kw={"rows": 3},
    )
    bonus_amount = StringField(
        _l("Referral bonus"),
        default="0",
        description=_l(
            "The full amount, e.g. 8000 or 8000.50. It is paid in parts per the program rules."
        ),
        render_kw={"inputmode": "decimal"},
    )
    bonus_currency = SelectField(
        _l("Currency"), choices=[SelectChoice(c, c) for c in CURRENCIES], default="CNY"
    )
    hard_to_fill = BooleanField(_l("Hard to fill"))

    def to_fields(self) -> JobFields:
        return JobFields(
            title=self.title.data or "",
            department_id=self.department_id.data,
            location=self.location.data or "",
            family=self.family.data,
            description=self.description.data or "",
            competencies=self.competencies.data or "",
            education=self.education.data,
            min_years=self.min_years.data,
            skills=self.skills.data or "",
            certificates=self.certificates.data or "",
            soft_traits=self.soft_traits.data or "",
            challenges=self.challenges.data or "",
            bonus_amount=self.bonus_amount.data or "",
            bonus_currency=self.bonus_currency.data,
            hard_to_fill=self.hard_to_fill.data,
            hiring_manager_id=self.hiring_manager_id.data,
        )

    def fill_from(self, job: Job) -> None:
        """Prefill the form from a saved job (GET of the edit page)."""
        self.title.data = job.title
        self.department_id.data = job.department_id
        self.location.data = job.location
        self.family.data = job.family.value
        self.hiring_manager_id.data = job.hiring_manager_id
        self.description.data = job.description
        self.education.data = job.education.value
        self.min_years.data = job.min_years
        self.challenges.data = job.challenges
        self.bonus_amount.data = job.bonus.plain()
        self.bonus_currency.data = job.bonus_currency
        self.hard_to_fill.data = job.hard_to_fill
        for name in ("competencies", "skills", "certificates", "soft_traits"):
            self[name].data = "\n".join(getattr(job, name) or [])
