"""Referral forms. The submission form grows one question per hard requirement and soft trait."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from community.core.localized import localized_item
from community.jobs.models import Job, hard_requirements
from community.pipeline import reasons
from community.referrals import services
from community.referrals.labels import (
    ASSESSMENT_LABELS,
    KNOWN_FOR_LABELS,
    RELATIONSHIP_LABELS,
    requirement_label,
)
from community.referrals.models import Stage

# Shown next to the consent checkbox and on the referral page: what exactly the referrer confirmed.
CONSENT_STATEMENT = _l(
    "I confirm that the candidate agreed to be referred for this job and to let the company store "
    "the details and resume I provide for recruiting purposes."
)


def validate_with_resume(form: Any, owner: Any) -> tuple[services.ResumeChoice, bool]:
    """Hold the form's resume first (for `owner`: the referrer, whose id keeps it), so that
    whatever else is wrong it need not be chosen again; then validate `form`, the resume's problem
    beside its field. The form has `resume`, `kept_resume`, `forget_resume` and `consent`: the
    referral form and a candidate's application through a link."""
    upload = request.files.get("resume")
    choice = services.choose_resume(
        owner,
        services.ResumeUpload(upload.stream, upload.filename) if upload else None,
        form.kept_resume.data,
        consent=bool(form.consent.data),
        forget=bool(form.forget_resume.data),
    )
    form.kept_resume.data = choice.kept.token if choice.kept else ""
    form.forget_resume.data = False
    valid = form.validate()
    if choice.problem:
        form.resume.errors = [*form.resume.errors, choice.problem]
        valid = False
    return choice, valid


def relationship_field() -> Any:
    """How the referrer knows the candidate (the referral form, and the referrer's own word on an
    application: `referrals.own_reason`). Made where it is used, so each form keeps its order."""
    return SelectField(
        _l("How do you know them?"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(k.value, v) for k, v in RELATIONSHIP_LABELS.items()],
        validators=[DataRequired(_l("Please choose how you know the candidate."))],
    )


def known_for_field() -> Any:
    """For how long the referrer has known the candidate."""
    return SelectField(
        _l("For how long?"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(k.value, v) for k, v in KNOWN_FOR_LABELS.items()],
        validators=[DataRequired(_l("Please choose how long you have known them."))],
    )


def fit_reason_field() -> Any:
    """Why the candidate fits, in the referrer's words."""
    return TextAreaField(
        _l("Why this person fits"),
        validators=[DataRequired(_l("Please tell HR why this person fits.")), Length(max=4000)],
    )


class ReferralForm(FlaskForm):
    candidate_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Please enter the candidate's name.")), Length(max=120)],
    )
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    current_employer = StringField(_l("Current employer"), validators=[Optional(), Length(max=160)])
    current_title = StringField(_l("Current title"), validators=[Optional(), Length(max=160)])
    relationship = relationship_field()
    known_for = known_for_field()
    fit_reason = fit_reason_field()
    resume = FileField(_l("Resume file (PDF or Word)"))
    # The token of a resume held from a try that was not accepted (services.choose_resume).
    kept_resume = HiddenField()
    forget_resume = BooleanField(_l("Do not use this file"))
    resume_url = StringField(
        _l("…or a link to the resume"), validators=[Optional(), Length(max=500)]
    )
    consent = BooleanField(
        CONSENT_STATEMENT,
        validators=[DataRequired(_l("Please confirm that the candidate agreed to be referred."))],
    )
    confirm_low_match = BooleanField(_l("I understand, refer them anyway"))

    hard_fields: list[tuple[Any, str]]
    soft_fields: list[tuple[str, str]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_mb = current_app.config["RESUME_MAX_BYTES"] // (1024 * 1024)
        self.resume.label.text = _("Resume file (PDF or Word, up to %(size)s MB)", size=limit_mb)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, normalise in (
            ("email", services.normalise_candidate_email),
            ("phone", services.normalise_phone),
            ("resume_url", services.normalise_resume_url),
        ):
            try:
                normalise(getattr(self, name).data)
            except services.ReferralError as exc:
                getattr(self, name).errors.append(exc.message)
                ok = False
        if not (self.email.data or "").strip() and not (self.phone.data or "").strip():
            self.email.errors.append(
                _l("Please give the candidate's email or phone number (at least one).")
            )
            ok = False
        problem = services.fit_reason_problem(self.fit_reason.data)
        if problem and not self.fit_reason.errors:
            self.fit_reason.errors.append(problem)
            ok = False
        has_file = bool(self.resume.data and getattr(self.resume.data, "filename", ""))
        has_file = has_file or bool((self.kept_resume.data or "").strip())
        if not has_file and not (self.resume_url.data or "").strip():
            self.resume.errors.append(
                _l("Please upload the candidate's resume (PDF or Word) or give a link to it.")
            )
            ok = False
        return ok

    def hard_assessment(self) -> dict[str, str]:
        return {req.key: self[name].data for req, name in self.hard_fields}

    def soft_ratings(self) -> dict[str, int]:
        return {trait: int(self[name].data) for trait, name in self.soft_fields if self[name].data}

    def submission(self) -> services.ReferralSubmission:
        return services.ReferralSubmission(
            candidate_name=self.candidate_name.data or "",
            email=self.email.data,
            phone=self.phone.data,
            current_employer=self.current_employer.data,
            current_title=self.current_title.data,
            relationship=self.relationship.data,
            known_for=self.known_for.data,
            fit_reason=self.fit_reason.data or "",
            hard_assessment=self.hard_assessment(),
            soft_ratings=self.soft_ratings(),
            resume_url=self.resume_url.data,
            consent=bool(self.consent.data),
            confirm_low_match=bool(self.confirm_low_match.data),
        )


def referral_form_for(job: Job, **kwargs: Any) -> ReferralForm:
    """A ReferralForm with one meets / not sure / does not meet question per hard requirement and
    one 1–5 rating per soft trait of `job`. Field names are positional (hard_0, soft_0) because
    requirement texts are free text; the answers are stored by requirement key."""

    class JobReferralForm(ReferralForm):
        pass

    requirements = hard_requirements(job)
    assessment_choices = [SelectChoice(k.value, v) for k, v in ASSESSMENT_LABELS.items()]
    for i, req in enumerate(requirements):
        setattr(
            JobReferralForm,
            f"hard_{i}",
            RadioField(
                requirement_label(req),
                choices=assessment_choices,
                validators=[InputRequired(_l("Please choose one."))],
            ),
        )
    traits = list(job.soft_traits or [])
    for i, trait in enumerate(traits):
        setattr(
            JobReferralForm,
            f"soft_{i}",
            RadioField(
                localized_item(job, "soft_traits", trait).text,
                choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                validators=[InputRequired(_l("Please rate from 1 to 5."))],
            ),
        )
    form = JobReferralForm(**kwargs)
    form.hard_fields = [(req, f"hard_{i}") for i, req in enumerate(requirements)]
    form.soft_fields = [(trait, f"soft_{i}") for i, trait in enumerate(traits)]
    return form


def reason_choices(stage: Stage) -> list[tuple[str, str]]:
    """The reasons one may give for moving a referral to `stage`, "choose…" first, for a select."""
    return [(choice.value, str(choice.label)) for choice in _reason_choices(stage)]


def _reason_choices(stage: Stage) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a reason…"))] + [
        SelectChoice(code, reasons.CHOICE_LABELS[code]) for code in reasons.codes_for(stage)
    ]


class StageActionForm(FlaskForm):
    """One move of a referral, as HR's page posts it. What each field is for, and who reads it:
    `feedback` goes to the referrer (who may pass it on to the candidate); `internal_note` is
    HR's alone; `reason_code` + `reason` say why a referral does not move forward (the referrer
    reads them, the code in a kind wording); `start_date` and `confirm` belong to the second
    step of a move to "hired". The service checks what each move needs."""

    to_stage = SelectField(
        _l("Move to"),
        choices=[SelectChoice(s.value, s.value) for s in Stage],
        validators=[InputRequired()],
    )
    expected_from = HiddenField()
    feedback = TextAreaField(
        _l("Feedback for the referrer"), validators=[Optional(), Length(max=4000)]
    )
    internal_note = TextAreaField(_l("Internal note"), validators=[Optional(), Length(max=4000)])
    reason_code = SelectField(
        _l("Reason"), choices=_reason_choices(Stage.REJECTED), validate_choice=False
    )
    reason = TextAreaField(_l("In your words"), validators=[Optional(), Length(max=1000)])
    start_date = StringField(_l("Start date (first working day)"), validators=[Optional()])
    confirm = HiddenField()

    def start_date_value(self) -> date | None:
        """The start date entered, or None when it is empty or not a date (then with an error)."""
        raw = (self.start_date.data or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.start_date.errors = [
                *self.start_date.errors,
                _(
                    "Please enter the start date as a date, for example %(example)s.",
                    example="2027-01-04",
                ),
            ]
            return None


class WithdrawForm(FlaskForm):
    reason_code = SelectField(
        _l("Why are you withdrawing this referral?"),
        choices=_reason_choices(Stage.WITHDRAWN),
        validate_choice=False,
    )
    reason = TextAreaField(_l("In your words"), validators=[Optional(), Length(max=1000)])


class LeftCompanyForm(FlaskForm):
    left_on = DateField(
        _l("Last day at the company"),
        validators=[DataRequired(_l("Please enter a valid date."))],
    )
    note = TextAreaField(_l("Internal note"), validators=[Optional(), Length(max=2000)])


class InterviewFeedbackForm(FlaskForm):
    body = TextAreaField(
        _l("Your interview feedback (HR reads it; the referrer does not)"),
        validators=[
            DataRequired(_l("Please write your feedback first.")),
            Length(
                max=4000,
                message=lazy_ngettext(
                    "Please keep your feedback under %(num)s character.",
                    "Please keep your feedback under %(num)s characters.",
                    4000,
                ),
            ),
        ],
    )
