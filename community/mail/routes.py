"""The mail room's pages under /mail: HR's outbox (every e-mail the app queued, its status and
tries, and one message as it was sent: the text as text, the HTML in a sandboxed frame that
runs nothing and loads nothing from outside), and the public unsubscribe link every e-mail to
a person carries. Thin: parse → `queries` / `services` / `unsubscribe` → render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from community.core.htmx import render
from community.core.params import page_arg
from community.core.permissions import hr_required, public
from community.extensions import csrf
from community.mail import queries, services, unsubscribe
from community.mail.models import EmailStatus
from community.mail.outbox import kind_name
from community.notifications.categories import Category, category_label, delivery_label

bp = Blueprint("mail", __name__, url_prefix="/mail")


def status_label(status: EmailStatus | str) -> str:
    return {
        EmailStatus.QUEUED: _("Queued"),
        EmailStatus.SENT: _("Sent"),
        EmailStatus.FAILED: _("Failed"),
    }.get(EmailStatus(status), str(status))


def kind_label(kind: str) -> str:
    """What a mail kind is, in words: this room's own kinds, the words another room gave its
    kind (`outbox.name_kind`), else the kind as written."""
    known = {
        "announcement": _("Announcement"),
        "rules_changed": _("Rule change"),
        "digest_daily": _("Daily digest"),
        "digest_weekly": _("Weekly digest"),
    }
    if kind in known:
        return known[kind]
    if (named := kind_name(kind)) is not None:
        return named
    if kind in {category.value for category in Category}:
        return category_label(kind)
    return kind


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(mail_status_label=status_label, mail_kind_label=kind_label)


@bp.get("/outbox")
@hr_required
def outbox() -> Response:
    raw_status = request.args.get("status", "")
    status = EmailStatus(raw_status) if raw_status in set(EmailStatus) else None
    kinds = queries.kinds()
    kind = request.args.get("kind", "")
    kind = kind if kind in kinds else ""
    return render(
        "mail/outbox.html",
        block="outbox",
        pagination=queries.outbox_page(page_arg(), status, kind or None),
        counts=queries.status_counts(),
        statuses=list(EmailStatus),
        chosen_status=status.value if status else "",
        kinds=kinds,
        kind=kind,
    )


@bp.get("/outbox/<int:email_id>")
@hr_required
def message(email_id: int) -> Response:
    return render("mail/outbox_message.html", email=queries.get_email(email_id))


@bp.post("/outbox/<int:email_id>/retry")
@hr_required
def retry(email_id: int) -> Response:
    services.retry(queries.get_email(email_id))
    flash(_("The e-mail is queued again. The worker sends it within a minute."), "success")
    return redirect(url_for("mail.message", email_id=email_id))


# The unsubscribe link (public: it is signed, and a mail client cannot sign in) -------------


def _unsubscribed(token: str, one_click: bool) -> Response:
    user, scope = unsubscribe.read_token(token)
    changed = unsubscribe.unsubscribe(user, scope)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        return render(
            "mail/unsubscribed.html",
            token=token,
            what=unsubscribe.scope_label(scope),
            changed={category.value: delivery.value for category, delivery in changed.items()},
            before=[delivery_label(delivery) for delivery in dict.fromkeys(changed.values())],
            one_click=one_click,
        )


@bp.get("/unsubscribe/<token>", endpoint="unsubscribe")
@public
def unsubscribe_page(token: str) -> Response:
    """The link in a mail's footer opens a page with one button; opening it changes nothing,
    because mail scanners and link previews open every link in a message (RFC 8058 §1)."""
    user, scope = unsubscribe.read_token(token)
    pending = unsubscribe.would_change(user, scope)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        return render(
            "mail/unsubscribe.html",
            token=token,
            what=unsubscribe.scope_label(scope),
            pending=pending,
        )


@bp.post("/unsubscribe/<token>")
@public
@csrf.exempt
def one_click(token: str) -> Response:
    """The button on that page, and RFC 8058 one-click unsubscribe: the mail client posts
    `List-Unsubscribe=One-Click` with no session and no CSRF token; the signed token in the URL
    is what proves the person meant it (an attacker cannot make one)."""
    return _unsubscribed(token, one_click=request.form.get("List-Unsubscribe") == "One-Click")


@bp.post("/unsubscribe/<token>/undo")
@public
def resubscribe(token: str) -> Response:
    user, scope = unsubscribe.read_token(token)
    restored = {c.value: request.form[c.value] for c in Category if c.value in request.form}
    unsubscribe.resubscribe(user, scope, restored)
    with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
        return render("mail/resubscribed.html", what=unsubscribe.scope_label(scope))
