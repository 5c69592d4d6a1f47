"""The mail room's public API: put an e-mail in the outbox, and write one from templates.

    from community.mail import outbox

    subject, text, html = outbox.render("invitation", user.locale or "zh_CN", name=..., link=...)
    outbox.queue(address, subject, text, html, kind="invitation", user_id=None)

`queue(to, subject, text, html=None, *, kind, user_id=None, headers=None) -> OutboundEmail`
    Adds one e-mail to the outbox in the caller's transaction (it never commits): the worker
    sends it after the commit (duty `mail.send`), with retries; a rollback sends nothing.
    `to` is checked (`core.emails.EmailError`, a 422 refusal, when it is not an address).
    `kind` is a short word saying what the mail is ("notification", "digest", "invitation" …);
    `user_id` names the person it is for, when it is someone with an account; `headers` are
    extra headers (str → str). The row records the language of the current locale (render the
    text inside `flask_babel.force_locale`, as `render` does).

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

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from sqlalchemy import delete

from community.config import SUPPORTED_LOCALES
from community.core.emails import EmailError, normalise_email
from community.core.i18n import current_locale
from community.core.links import url
from community.core.time import utcnow
from community.extensions import db
from community.mail.models import EmailStatus, OutboundEmail

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
    """Add one e-mail to `to` to the outbox, in the caller's transaction (never commits)."""
    address = normalise_email(to)
    if address is None:
        raise EmailError(_("Email is missing."), field="email")
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"an e-mail's kind is a word of 1 to {KIND_MAX} characters: {kind!r}")
    now = utcnow()
    email = OutboundEmail(
        to_address=address,
        user_id=user_id,
        kind=kind,
        subject=one_line(subject)[:SUBJECT_MAX],
        text_body=text,
        html_body=html,
        headers={str(name): one_line(str(value)) for name, value in (headers or {}).items()},
        locale=current_locale(),
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(email)
    return email


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


def absolute_url(path: str) -> str:
    """A path of this site as an absolute URL a mail client can open (APP_BASE_URL + path)."""
    base = str(current_app.config["APP_BASE_URL"]).rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)


def app_url(endpoint: str, /, **values: Any) -> str:
    """The absolute URL of `endpoint` with `values`, for a link in an e-mail."""
    return absolute_url(url(endpoint, **values))


_PRIVATE: set[str] = set()


def keep_private(*kinds: str) -> None:
    """Mark kinds of mail whose address and text HR's outbox pages do not show."""
    _PRIVATE.update(kinds)


def is_private(kind: str) -> bool:
    return kind in _PRIVATE


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
