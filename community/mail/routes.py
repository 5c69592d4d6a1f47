"""HR's outbox pages under /mail: every e-mail the app queued, its status and tries, and one
message as it was sent (the text as text, the HTML in a sandboxed frame that runs nothing and
loads nothing from outside). Thin: parse → `queries` / `services` → render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _

from community.core.htmx import render
from community.core.params import page_arg
from community.core.permissions import hr_required
from community.mail import queries, services
from community.mail.models import EmailStatus

bp = Blueprint("mail", __name__, url_prefix="/mail")


def status_label(status: EmailStatus | str) -> str:
    return {
        EmailStatus.QUEUED: _("Queued"),
        EmailStatus.SENT: _("Sent"),
        EmailStatus.FAILED: _("Failed"),
    }.get(EmailStatus(status), str(status))


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals["mail_status_label"] = status_label


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
