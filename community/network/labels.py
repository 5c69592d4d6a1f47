"""The words for the network's vocabulary, in the reader's language: closeness, the kinds of
tags, the channels, and why a contact may fit a job."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import LazyString, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.network.matching import Reason
from community.network.models import Closeness, TagKind


def closeness_labels() -> dict[Closeness, str]:
    # With a context: "Close" alone is already the button that closes a thing (关闭).
    return {
        Closeness.CLOSE: pgettext("closeness", "Close"),
        Closeness.ORDINARY: pgettext("closeness", "Ordinary"),
        Closeness.ACQUAINTANCE: pgettext("closeness", "Acquaintance"),
    }


def closeness_label(value: Closeness | str) -> str:
    return str(closeness_labels()[Closeness(value)])


def tag_kind_labels() -> dict[TagKind, LazyString]:
    return {
        TagKind.SKILL: _l("Skills"),
        TagKind.INDUSTRY: _l("Industries"),
        TagKind.WISH: _l("Career wishes"),
    }


def channel(closeness: Closeness | str) -> tuple[str, str, str]:
    """(icon, channel, advice) for reaching someone this close."""
    value = Closeness(closeness)
    if value == Closeness.CLOSE:
        return (
            "telephone",
            _("Call or meet"),
            _(
                "Talk first, in person or on the phone; send the message afterwards so they have the details."
            ),
        )
    if value == Closeness.ORDINARY:
        return (
            "chat-dots",
            _("A personal WeChat or e-mail message"),
            _("Write to them alone. Never a group blast or a forwarded job post."),
        )
    return (
        "envelope-paper",
        _("A short, low-pressure personal note"),
        _("Keep it brief and easy to ignore; offer the details only if they ask."),
    )


def reason_text(reason: Reason) -> str:
    """One reason a contact may fit, as a sentence: their tag, then what of the job it fits."""
    tag = {
        TagKind.SKILL: _("Skill “%(tag)s”", tag=reason.tag),
        TagKind.INDUSTRY: _("Industry “%(tag)s”", tag=reason.tag),
        TagKind.WISH: _("Wants “%(tag)s”", tag=reason.tag),
    }[reason.kind]
    why = {
        "skills": lambda: _("the job asks for %(item)s.", item=reason.item),
        "certificates": lambda: _("the job asks for the certificate %(item)s.", item=reason.item),
        "competencies": lambda: _("a core competency of the job is %(item)s.", item=reason.item),
        "family": lambda: _("the job is in that line of work."),
        "title": lambda: _("the job's title says %(item)s.", item=reason.item),
    }.get(reason.part, lambda: _("the job's description mentions it."))()
    return _("%(tag)s: %(why)s", tag=tag, why=why)


def moment(at: datetime) -> str:
    """A moment in its own zone, in the reader's language: "Mon, Mar 2 10:00", "3月2日周一 10:00"."""
    locale = str(get_locale() or "zh_CN")
    day = format_skeleton("MMMEd", at, tzinfo=at.tzinfo, locale=locale)
    return f"{day} {format_skeleton('Hm', at, tzinfo=at.tzinfo, locale=locale)}"
