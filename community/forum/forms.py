"""Forum forms. The rules (lengths, mentions, who may) live in the services; the forms render the
fields and carry each refusal back to its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from community.forum.common import MAX_REASON_CHARS, MAX_TITLE_CHARS


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "", "None") else None
    except ValueError:
        return None


class TopicForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=_int_or_none, validate_choice=False)
    title = StringField(_l("Title"), render_kw={"maxlength": MAX_TITLE_CHARS})
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Markdown: **bold**, *italic*, > quote, - list, [link](https://…). "
            "Mention a colleague with @name."
        ),  # fmt: skip
        render_kw={"rows": 10},
    )
    question = BooleanField(_l("This is a question (one answer can be accepted)"))
    job_id = SelectField(_l("About a job (optional)"), coerce=_int_or_none, validate_choice=False)
    referral_id = SelectField(
        _l("A hire of yours this story is about (optional)"),
        coerce=_int_or_none,
        validate_choice=False,
        description=_l("Only the job and the date are shown, never the candidate."),
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), render_kw={"rows": 6})


class EditForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": MAX_TITLE_CHARS})
    body = TextAreaField(_l("Text"), render_kw={"rows": 10})


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), render_kw={"maxlength": MAX_REASON_CHARS})


class CategoryForm(FlaskForm):
    slug = StringField(_l("Short name for links"), render_kw={"maxlength": 60})
    name = StringField(_l("Name (Chinese)"), render_kw={"maxlength": 80})
    name_en = StringField(_l("Name (English)"), render_kw={"maxlength": 80})
    description = TextAreaField(_l("Description (Chinese)"), render_kw={"rows": 2})
    description_en = TextAreaField(_l("Description (English)"), render_kw={"rows": 2})
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("discussion", _l("Discussion")),
            SelectChoice("questions", _l("Questions and answers")),
        ],
    )
