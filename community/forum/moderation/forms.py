"""Moderation's forms: a flag (why, and a note) and a moderator's reason. The rules (a known
reason, a note for "other", lengths) live in `services`; the forms render the fields and carry
the errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField

from community.forum.moderation import labels
from community.forum.moderation.services import MAX_NOTE_CHARS, MAX_REASON_CHARS


class FlagForm(FlaskForm):
    reason_code = RadioField(
        _l("Why should moderators look at this post?"),
        choices=lambda: [SelectChoice(code, label) for code, label in labels.REASONS.items()],
        validate_choice=False,  # an unknown reason is the service's refusal, in words
    )
    note = TextAreaField(
        _l("A note for the moderators (needed for “something else”)"),
        render_kw={"maxlength": MAX_NOTE_CHARS, "rows": 3},
    )


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason (the author is told)"), render_kw={"maxlength": MAX_REASON_CHARS}
    )
