"""Thanks wall forms. The rules (required, lengths) live in `thanks.services`, so a refusal reads
the same from the page and from any other caller; the forms render the fields and carry errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from community.thanks.services import MAX_BODY, MAX_REASON, MAX_TITLE


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"maxlength": MAX_TITLE})
    body = TextAreaField(_l("Announcement"), render_kw={"maxlength": MAX_BODY, "rows": 4})


class HideForm(FlaskForm):
    reason = StringField(
        _l("Why hide this post? (kept for HR)"), render_kw={"maxlength": MAX_REASON}
    )
