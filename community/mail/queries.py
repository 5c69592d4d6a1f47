"""Reading the outbox for HR's pages: page by page, newest first, filtered by status and kind."""

from __future__ import annotations

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from community.extensions import db
from community.mail.models import EmailStatus, OutboundEmail

PER_PAGE = 30


def outbox_page(
    page: int, status: EmailStatus | None = None, kind: str | None = None
) -> Pagination:
    """One page of the outbox, newest first (a page past the last is empty)."""
    query = select(OutboundEmail).order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
    if status is not None:
        query = query.where(OutboundEmail.status == status)
    if kind:
        query = query.where(OutboundEmail.kind == kind)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def status_counts() -> dict[EmailStatus, int]:
    """How many mails are queued, sent and failed."""
    rows = db.session.execute(
        select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)
    ).all()
    counts = dict.fromkeys(EmailStatus, 0)
    counts.update({EmailStatus(status): count for status, count in rows})
    return counts


def kinds() -> list[str]:
    """Every kind of mail in the outbox, for the filter."""
    return list(
        db.session.scalars(select(OutboundEmail.kind).distinct().order_by(OutboundEmail.kind))
    )


def get_email(email_id: int) -> OutboundEmail:
    """The outbox row, or 404."""
    email = db.session.get(OutboundEmail, email_id)
    if email is None:
        abort(404)
    return email
