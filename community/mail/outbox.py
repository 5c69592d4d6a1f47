"""The mail room's public API: put an e-mail in the outbox, and write one from templates.

    from community.mail import outbox

    subject, text, html = outbox.render("invitation", user.locale or "zh_CN", name=..., link=...)
    outbox.queue(address, subject, text, html, kind="invitation", user_id=None)

`queue(to, subject, text, html=None, *, kind, user_id=None, headers=None) -> OutboundEmail`
    Adds one e-mail to the outbox in the caller's transaction (it never commits): the worker
    sends it after the commit (duty `mail.send`), with retries; a rollback sends nothing.
    `to` is checked (`core.emails.EmailError`, a 422 refusal, when it is not an address).
    `kind` is a short word saying what the mail is ("invitation", "digest_daily" …);
    `headers` are extra headers (str → str). The row records the language of the current
    locale (render the text inside `flask_babel.force_locale`, as `render` does).
    `user_id` names the person it is for when they have an account: such a mail gets their
    one-click unsubscribe link (a footer in both parts, `List-Unsubscribe` and
    `List-Unsubscribe-Post` headers), for which its kind must be known: this room's own kinds
    (a notification category's value, "announcement", "rules_changed", "digest_daily",
    "digest_weekly") or one registered with `register_kind`; any other raises ValueError. A
    mail to someone without an account (a candidate) has `user_id=None` and no such link.

`register_kind(kind, category) -> None`
    Say which category of notifications (`notifications.categories.Category`) a room's own
    mail kind to people with an account belongs to; its unsubscribe link turns that off.

`render(template, locale, **context) -> tuple[str, str, str | None]`
    (subject, plain text, HTML) from `templates/mail/<template>.subject.txt`, `<template>.txt`
    and `<template>.html` (optional: None without it), rendered in `locale` (an unsupported
    one reads as the company's default). The subject is one line. The templates may extend
    `mail/_layout.html` and `mail/_layout.txt` and call `app_url(endpoint, **values)` or
    `absolute_url(path)` for links that work from a mail client (APP_BASE_URL).

`absolute_url(path) -> str`, `app_url(endpoint, **values) -> str`
    A path of this site ("/referrals/3"), or an endpoint, as an absolute URL on APP_BASE_URL.

`keep_private(*kinds)`, `forget(ids) -> int`
    For mail to people who have not agreed to anything yet (a candidate's invitation): HR's
    outbox pages show a private kind's address masked and none of its text; `forget` deletes
    mails from the outbox, sent or not, in the caller's transaction, when the room that wrote
    them must not keep the address any longer (an invitation withdrawn, answered or deleted).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from markupsafe import Markup
from sqlalchemy import delete

from community.config import SUPPORTED_LOCALES
from community.core.emails import EmailError, normalise_email
from community.core.i18n import current_locale
from community.core.time import utcnow
from community.extensions import db
from community.mail import unsubscribe
from community.mail.links import absolute_url, app_url
from community.mail.models import EmailStatus, OutboundEmail
from community.notifications.categories import Category

__all__ = [
    "absolute_url",
    "app_url",
    "forget",
    "keep_private",
    "queue",
    "register_kind",
    "render",
]

KIND_MAX = 40
SUBJECT_MAX = 300


def queue(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    kind: str,
    user_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail:
    """Add one e-mail to `to` to the outbox, in the caller's transaction (never commits). A mail
    to a person (`user_id`) gets the unsubscribe link of its kind's scope: in the footer of
    both parts and as `List-Unsubscribe` headers (its kind must be known: `register_kind`)."""
    address = normalise_email(to)
    if address is None:
        raise EmailError(_("Email is missing."), field="email")
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"an e-mail's kind is a word of 1 to {KIND_MAX} characters: {kind!r}")
    return add(address, subject, text, html, kind=kind, user_id=user_id, headers=headers)


def add(
    address: str,
    subject: str,
    text: str,
    html: str | None,
    *,
    kind: str,
    user_id: int | None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail:
    """`queue` for an address already checked (a person's stored one): the mailings to many
    people at once (an announcement) skip checking thousands of known addresses again."""
    extra = {str(name): one_line(str(value)) for name, value in (headers or {}).items()}
    if user_id is not None:
        text, html, extra = _with_unsubscribe(user_id, kind, text, html, extra)
    now = utcnow()
    email = OutboundEmail(
        to_address=address,
        user_id=user_id,
        kind=kind,
        subject=one_line(subject)[:SUBJECT_MAX],
        text_body=text,
        html_body=html,
        headers=extra,
        locale=current_locale(),
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(email)
    return email


def register_kind(kind: str, category: Category) -> None:
    """Before queueing mails of a new `kind` to people with an account: say which category of
    notifications they are, so their unsubscribe link turns that category's e-mail off."""
    unsubscribe.register_kind(kind, category)


_LINK = "__unsubscribe_link__"  # where each person's own link goes in the footer rendered once
_FOOTERS = "mail_footers"


def _with_unsubscribe(
    user_id: int, kind: str, text: str, html: str | None, headers: dict[str, str]
) -> tuple[str, str | None, dict[str, str]]:
    scope = unsubscribe.scope_of(kind)
    if scope is None:
        raise ValueError(f"mail kind {kind!r} to a person has no unsubscribe: register_kind it")
    link = unsubscribe.unsubscribe_url(user_id, scope)
    text_footer, html_footer = _footer(scope)
    text = text.rstrip("\n") + "\n\n" + text_footer.replace(_LINK, link)
    if html is not None:
        piece = html_footer.replace(_LINK, link)
        end = html.lower().rfind("</body>")
        html = html[:end] + piece + html[end:] if end >= 0 else html + piece
    return (
        text,
        html,
        {
            **headers,
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _footer(scope: str) -> tuple[str, str]:
    """The unsubscribe footer of `scope` in the current language, with a stand-in for the
    person's link: rendered once per scope and language in an app context (kept on `g`, so a
    mailing to everyone renders it twice, not once a person)."""
    key = (scope, current_locale())
    kept: dict[tuple[str, str], tuple[str, str]] = g.setdefault(_FOOTERS, {})
    if key not in kept:
        values = {
            "scope_label": unsubscribe.scope_label(scope),
            "unsubscribe_url": Markup(_LINK),
            "settings_url": app_url("notifications.preferences"),
        }
        kept[key] = (
            render_template("mail/_unsubscribe.txt", **values).strip() + "\n",
            render_template("mail/_unsubscribe.html", **values),
        )
    return kept[key]


def render(template: str, locale: str, **context: Any) -> tuple[str, str, str | None]:
    """(subject, text, html) of `templates/mail/<template>.*` in `locale`; html is None when the
    template has no HTML part."""
    chosen = locale if locale in SUPPORTED_LOCALES else current_app.config["DEFAULT_LOCALE"]
    values = {"locale": chosen, **context}
    with force_locale(chosen):
        subject = one_line(render_template(f"mail/{template}.subject.txt", **values))
        text = render_template(f"mail/{template}.txt", **values).strip() + "\n"
        try:
            html: str | None = render_template(f"mail/{template}.html", **values)
        except TemplateNotFound as missing:
            if missing.name != f"mail/{template}.html":
                raise  # the HTML part exists but includes a template that does not
            html = None
    return subject, text, html


def one_line(value: str) -> str:
    """`value` on one line (a header never carries a line break)."""
    return " ".join(value.split())


_PRIVATE: set[str] = set()


def keep_private(*kinds: str) -> None:
    """Mark kinds of mail whose address and text HR's outbox pages do not show."""
    _PRIVATE.update(kinds)


def is_private(kind: str) -> bool:
    return kind in _PRIVATE


_LABELS: dict[str, Any] = {}


def name_kind(kind: str, label: Any) -> None:
    """Say in words (a lazy string) what a room's mail `kind` is, for HR's outbox."""
    _LABELS[kind] = label


def kind_name(kind: str) -> str | None:
    """The words a room gave its mail `kind`, in the reader's language (None: none given)."""
    label = _LABELS.get(kind)
    return None if label is None else str(label)


def shown_address(email: OutboundEmail) -> str:
    """The address as HR's outbox shows it: "l***@example.org" for a private kind."""
    if not is_private(email.kind):
        return email.to_address
    local, _at, domain = email.to_address.partition("@")
    return f"{local[:1]}***@{domain}"


def forget(ids: list[int]) -> int:
    """Delete these mails from the outbox, sent or not (a queued one is then never sent), in
    the caller's transaction; how many there were."""
    if not ids:
        return 0
    result = db.session.execute(delete(OutboundEmail).where(OutboundEmail.id.in_(ids)))
    return int(result.rowcount or 0)
