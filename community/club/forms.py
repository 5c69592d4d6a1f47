"""Club forms: HR's reason for taking someone out. The rule (required, length) lives in
`club.services`; the form renders the field and carries the error."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from community.club.services import MAX_REASON_CHARS


class RemoveForm(FlaskForm):
    reason = StringField(
        _l("Reason (they are told)"),
        render_kw={"maxlength": MAX_REASON_CHARS},
    )
