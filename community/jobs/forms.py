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

from community.core.localized import language_of
from community.core.money import CURRENCIES
from community.jobs.labels import education_labels, job_family_labels
from community.jobs.models import Job
from community.jobs.services import LIST_FIELDS, JobFields

ONE_PER_LINE = _l("One per line.")
IN_ENGLISH = _l("The same in English. Left empty, English readers see the Chinese.")
LINES_IN_ENGLISH = _l(
    "The English of each line, in the same order. A line left empty shows the Chinese."
)


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class JobForm(FlaskForm):
    # Each text in Chinese and in English; at least one title (checked by the service).
    title = StringField(_l("Job title (Chinese)"), validators=[Length(max=160)])
    title_en = StringField(_l("Job title (English)"), validators=[Length(max=160)])
    department_id = SelectField(
        _l("Department"),
        coerce=_int_or_none,
        validate_choice=False,
        validators=[DataRequired(_l("Choose a department."))],
    )
    location = StringField(_l("Location (Chinese)"), validators=[Length(max=120)])
    location_en = StringField(_l("Location (English)"), validators=[Length(max=120)])
    family = SelectField(
        _l("Job family"),
        choices=lambda: [SelectChoice(f.value, label) for f, label in job_family_labels().items()],
        default="other",
    )
    hiring_manager_id = SelectField(
        _l("Hiring manager"), coerce=_int_or_none, validate_choice=False
    )
    description = TextAreaField(
        _l("Description (Chinese)"),
        validators=[Length(max=20_000)],
        description=_l("Markdown: **bold**, *italic*, lists and links. HTML is shown as text."),
        render_kw={"rows": 8},
    )
    description_en = TextAreaField(
        _l("Description (English)"),
        validators=[Length(max=20_000)],
        description=IN_ENGLISH,
        render_kw={"rows": 8},
    )
    competencies = TextAreaField(
        _l("Core competencies (Chinese)"),
        description=_l("One per line, e.g. System design. What the person must be good at."),
        render_kw={"rows": 4},
    )
    competencies_en = TextAreaField(
        _l("Core competencies (English)"), description=LINES_IN_ENGLISH, render_kw={"rows": 4}
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
        _l("Required skills (Chinese)"),
        description=_l("One per line, e.g. Python or Industry contacts in FMCG."),
        render_kw={"rows": 4},
    )
    skills_en = TextAreaField(
        _l("Required skills (English)"), description=LINES_IN_ENGLISH, render_kw={"rows": 4}
    )
    certificates = TextAreaField(
        _l("Required certificates (Chinese)"), description=ONE_PER_LINE, render_kw={"rows": 2}
    )
    certificates_en = TextAreaField(
        _l("Required certificates (English)"),
        description=LINES_IN_ENGLISH,
        render_kw={"rows": 2},
    )
    soft_traits = TextAreaField(
        _l("Soft traits (Chinese)"),
        description=_l("One per line, e.g. Communication, Resilience, Teamwork."),
        render_kw={"rows": 3},
    )
    soft_traits_en = TextAreaField(
        _l("Soft traits (English)"), description=LINES_IN_ENGLISH, render_kw={"rows": 3}
    )
    challenges = TextAreaField(
        _l("Honest challenges (Chinese)"),
        validators=[Length(max=5_000)],
        description=_l(
            "What is hard about this job (pressure, travel, on-call). Candidates who know stay longer."
        ),
        render_kw={"rows": 3},
    )
    challenges_en = TextAreaField(
        _l("Honest challenges (English)"),
        validators=[Length(max=5_000)],
        description=IN_ENGLISH,
        render_kw={"rows": 3},
    )
    interview_focus = TextAreaField(
        _l("Interview focus (Chinese)"),
        validators=[Length(max=5_000)],
        description=_l(
            "What the interviews look at most, e.g. system design on a real case. Referrers pass it on as interview tips."
        ),
        render_kw={"rows": 3},
    )
    interview_focus_en = TextAreaField(
        _l("Interview focus (English)"),
        validators=[Length(max=5_000)],
        description=IN_ENGLISH,
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
        texts = {name: self[name].data or "" for name in BILINGUAL}
        return JobFields(
            **texts,
            department_id=self.department_id.data,
            family=self.family.data,
            education=self.education.data,
            min_years=self.min_years.data,
            bonus_amount=self.bonus_amount.data or "",
            bonus_currency=self.bonus_currency.data,
            hard_to_fill=self.hard_to_fill.data,
            hiring_manager_id=self.hiring_manager_id.data,
        )

    def fill_from(self, job: Job) -> None:
        """Prefill the form from a saved job (GET of the edit page). A text kept only in English
        (its base wording has no Chinese and no translation) goes back into the English field."""
        self.department_id.data = job.department_id
        self.family.data = job.family.value
        self.hiring_manager_id.data = job.hiring_manager_id
        self.education.data = job.education.value
        self.min_years.data = job.min_years
        self.bonus_amount.data = job.bonus.plain()
        self.bonus_currency.data = job.bonus_currency
        self.hard_to_fill.data = job.hard_to_fill
        english_only = language_of(job.title) == "en" and not job.title_en
        for name in ("title", "location", "description", "challenges", "interview_focus"):
            base, english = getattr(job, name) or "", getattr(job, f"{name}_en") or ""
            if english_only and not english:
                base, english = "", base
            self[name].data, self[f"{name}_en"].data = base, english
        for name in LIST_FIELDS:
            base_items, english_items = getattr(job, name) or [], getattr(job, f"{name}_en") or []
            if english_only and not any(english_items):
                base_items, english_items = [], base_items
            self[name].data = "\n".join(base_items)
            self[f"{name}_en"].data = "\n".join(english_items)


BILINGUAL = tuple(
    f"{name}{suffix}"
    for name in (
        "title",
        "location",
        "description",
        "challenges",
        "interview_focus",
        *LIST_FIELDS,
    )
    for suffix in ("", "_en")
)
