"""The candidate's application form on a public job page, and the code box of the jobs page.

Every message speaks to the candidate ("your"). The checks are the referral spine's
(`referrals.services`): a field the form finds wrong here would be refused there the same way.
`website` is a honeypot: hidden from people (off screen, out of the tab order, not filled in by
browsers), a bot that fills every field fills it too, and the page then pretends to succeed.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Length, Optional

from community.referrals import services
from community.referrals.labels import APPLICANT_CONSENT_STATEMENT


class ApplyForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    current_employer = StringField(_l("Current employer"), validators=[Optional(), Length(max=160)])
    current_title = StringField(_l("Current title"), validators=[Optional(), Length(max=160)])
    resume = FileField(_l("Resume file (PDF or Word)"))
    # The token of a resume held from a try that was not accepted (services.choose_resume).
    kept_resume = HiddenField()
    forget_resume = BooleanField(_l("Do not use this file"))
    resume_url = StringField(
        _l("…or a link to your resume"), validators=[Optional(), Length(max=500)]
    )
    consent = BooleanField(APPLICANT_CONSENT_STATEMENT)
    website = StringField(_l("Leave this empty"))  # the honeypot (see the module's notes)
    via = HiddenField()  # "code" when the candidate typed the referrer's code

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_mb = current_app.config["RESUME_MAX_BYTES"] // (1024 * 1024)
        self.resume.label.text = _("Resume file (PDF or Word, up to %(size)s MB)", size=limit_mb)

    @property
    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not " ".join((self.name.data or "").split()):
            self.name.errors = [*self.name.errors, _("Please enter your name.")]
            ok = False
        for name, normalise in (
            ("email", services.normalise_candidate_email),
            ("phone", services.normalise_phone),
            ("resume_url", services.normalise_resume_url),
        ):
            try:
                normalise(getattr(self, name).data)
            except services.ReferralError as exc:
                getattr(self, name).errors = [*getattr(self, name).errors, exc.message]
                ok = False
        if not (self.email.data or "").strip() and not (self.phone.data or "").strip():
            self.email.errors = [
                *self.email.errors,
                _("Please give your email or phone number (at least one)."),
            ]
            ok = False
        has_file = bool(self.resume.data and getattr(self.resume.data, "filename", ""))
        has_file = has_file or bool((self.kept_resume.data or "").strip())
        if not has_file and not (self.resume_url.data or "").strip():
            self.resume.errors = [
                *self.resume.errors,
                _("Please upload your resume (PDF or Word) or give a link to it."),
            ]
            ok = False
        if not self.consent.data:
            self.consent.errors = [
                *self.consent.errors,
                _("Please agree to the privacy notice. We store nothing without it."),
            ]
            ok = False
        return ok

    def application(self, kept_resume: str | None, locale: str) -> services.Application:
        return services.Application(
            name=self.name.data or "",
            email=self.email.data,
            phone=self.phone.data,
            current_employer=self.current_employer.data,
            current_title=self.current_title.data,
            resume_url=self.resume_url.data,
            kept_resume=kept_resume,
            consent=bool(self.consent.data),
            locale=locale,
        )
