"""Mentoring forms. The rules (required, lengths, dates, capacity) live in the services, so a
refusal reads the same from any caller; the forms render the fields and carry the errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField

from community.mentoring.models import Outcome
from community.mentoring.pairings import MAX_NOTE, MAX_OUTCOME_NOTE
from community.mentoring.services import MAX_ABOUT, MAX_GOAL, MAX_MESSAGE


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class OfferForm(FlaskForm):
    topics = StringField(
        _l("Topics you can help with (separated by commas)"),
        render_kw={"maxlength": 300, "placeholder": _l("e.g. 简历, interview prep, sales jobs")},
    )
    about = TextAreaField(
        _l("A few words about you (optional, Markdown)"),
        render_kw={"maxlength": MAX_ABOUT, "rows": 3},
    )
    capacity = IntegerField(_l("How many mentees at once"), render_kw={"min": 1})


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("Your message to the mentor"),
        render_kw={
            "maxlength": MAX_MESSAGE,
            "rows": 4,
            "placeholder": _l("Who you are, what you would like help with."),
        },
    )


class DeclineForm(FlaskForm):
    answer = StringField(
        _l("A kind word for the newcomer (optional)"), render_kw={"maxlength": MAX_MESSAGE}
    )


class GoalForm(FlaskForm):
    goal = StringField(
        _l("Goal"),
        render_kw={
            "maxlength": MAX_GOAL,
            "placeholder": _l("e.g. a first referral within 30 days"),
        },
    )
    goal_due_on = DateField(_l("Goal due on"))
    ends_on = DateField(_l("Pairing ends on"))


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Check-in note (only the two of you and HR read it)"),
        render_kw={"maxlength": MAX_NOTE, "rows": 3},
    )


class SharingForm(FlaskForm):
    share_referral_count = BooleanField(
        _l("How many referrals I made and how many passed screening")
    )
    share_stages = BooleanField(_l("How far my referrals got (counts per stage)"))


OUTCOME_CHOICES = [
    ("", _l("Choose…")),  # no default: ending says how it went on purpose
    (Outcome.GOAL_REACHED.value, _l("The goal was reached")),
    (Outcome.COMPLETED.value, _l("It ran its course")),
    (Outcome.STOPPED.value, _l("We stopped early")),
]


class EndForm(FlaskForm):
    outcome = SelectField(_l("How did it go?"), choices=OUTCOME_CHOICES, validate_choice=False)
    note = TextAreaField(
        _l("A closing note (optional; the two of you and HR read it)"),
        render_kw={"maxlength": MAX_OUTCOME_NOTE, "rows": 2},
    )


class PairForm(FlaskForm):
    mentee_id = SelectField(_l("Colleague to mentor"), coerce=_int_or_none, validate_choice=False)
    mentor_id = SelectField(_l("Mentor"), coerce=_int_or_none, validate_choice=False)
    goal = StringField(
        _l("Goal (optional)"),
        render_kw={
            "maxlength": MAX_GOAL,
            "placeholder": _l("e.g. a first referral within 30 days"),
        },
    )
    goal_due_on = DateField(_l("Goal due on (optional)"))
