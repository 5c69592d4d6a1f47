"""Payout pages: HR's payouts list with approve / mark paid / cancel (one or in bulk) and the
payroll CSV; the referrer's own payouts. Thin: parse → service → render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from community.accounts.queries import departments
from community.core.htmx import is_fragment_request, render, toast
from community.core.params import page_arg, parse_int
from community.core.permissions import hr_required
from community.core.sorting import Sort
from community.core.time import local_today, utcnow
from community.extensions import db
from community.payouts import queries, schedule, services
from community.payouts.labels import next_step, status_label
from community.payouts.models import Payout, PayoutStatus

bp = Blueprint("payouts", __name__, url_prefix="/payouts")


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        payout_status_label=status_label,
        payout_next_step=next_step,
        payout_share_step=schedule.share_step,
    )


def _filters(source: Any) -> queries.PayoutFilters:
    try:
        status = PayoutStatus(source.get("status") or "")
    except ValueError:
        status = None
    month = (source.get("month") or "").strip()
    return queries.PayoutFilters(
        status=status,
        department_id=parse_int(source.get("department")),
        month=month if queries.month_bounds(month) else None,
        referrer_id=parse_int(source.get("referrer")),
    )


def _sort() -> Sort:
    return queries.PAYOUT_SORTING.parse(request.args)


def _overdue_days() -> int:
    return int(current_app.config["PAYOUT_OVERDUE_DAYS"])


def _page_context(filters: queries.PayoutFilters) -> dict[str, Any]:
    sort = _sort()
    page = db.paginate(
        queries.payouts_for_hr(filters, sort),
        page=page_arg(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return {
        "page": page,
        "filters": filters,
        "sort": sort,
        "departments": departments(),
        "months": queries.due_months(),
        "referrers": queries.referrers_with_payouts(),
        "statuses": list(PayoutStatus),
        "overdue_days": _overdue_days(),
        "now": utcnow(),
        "today": local_today(),
    }


@bp.get("/")
@hr_required
def index() -> Response:
    return render("payouts/index.html", block="results", **_page_context(_filters(request.args)))


@bp.get("/export.csv")
@hr_required
def export() -> Response:
    payouts = db.session.scalars(queries.payouts_for_hr(_filters(request.args), _sort())).unique()
    filename = f"payouts-{local_today().isoformat()}.csv"
    return Response(
        queries.payroll_csv(payouts),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _paid_on() -> date | None:
    try:
        return date.fromisoformat((request.form.get("paid_on") or "").strip())
    except ValueError:
        return None


def _back() -> str:
    return url_for("payouts.index", **_sort().with_args(_filters(request.args).as_args()))


def _row(payout: Payout, status: int = 200, error: str | None = None) -> Response:
    db.session.expire_all()
    return render(
        "payouts/_row.html",
        status=status,
        payout=queries.get_payout(payout.id),
        row_error=error,
        overdue_days=_overdue_days(),
        now=utcnow(),
        today=local_today(),
        filters=_filters(request.args),
        sort=_sort(),
    )


def _answer(payout: Payout, message: str, category: str, status: int = 200) -> Response:
    """The updated row for htmx; for a plain form a redirect back (or the page with the error)."""
    if is_fragment_request():
        toast(message, category)
        return _row(payout, status=status, error=message if status >= 400 else None)
    flash(message, category)
    if status >= 400:
        return render("payouts/index.html", status=status, **_page_context(_filters(request.args)))
    return redirect(_back())


def _act(payout_id: int, action: Callable[[Payout], object], done: str) -> Response:
    payout = queries.get_payout(payout_id)
    try:
        action(payout)
    except services.PayoutError as exc:
        return _answer(payout, exc.message, "danger", exc.status)
    return _answer(payout, done, "success")


@bp.post("/<int:payout_id>/approve")
@hr_required
def approve(payout_id: int) -> Response:
    return _act(
        payout_id, lambda p: services.approve_payout(p, current_user), _("Payout approved.")
    )


@bp.post("/<int:payout_id>/pay")
@hr_required
def pay(payout_id: int) -> Response:
    return _act(
        payout_id,
        lambda p: services.mark_paid(
            p, current_user, _paid_on(), request.form.get("payroll_reference")
        ),
        _("Payout marked paid."),
    )


@bp.post("/<int:payout_id>/cancel")
@hr_required
def cancel(payout_id: int) -> Response:
    return _act(
        payout_id,
        lambda p: services.cancel_payout(p, current_user, request.form.get("reason")),
        _("Payout cancelled."),
    )


@bp.post("/bulk")
@hr_required
def bulk() -> Response:
    ids = [i for i in map(parse_int, request.form.getlist("payout_ids")) if i is not None]
    action = request.form.get("action")
    status = 200
    if not ids:
        message, category, status = _("Please tick at least one payout."), "warning", 422
    elif action not in ("approve", "pay"):
        message, category, status = _("Please choose what to do with the payouts."), "warning", 422
    else:
        try:
            if action == "approve":
                result = services.approve_payouts(ids, current_user)
                message = ngettext(
                    "%(num)d payout approved.", "%(num)d payouts approved.", result.done
                )
            else:
                result = services.mark_payouts_paid(
                    ids, current_user, _paid_on(), request.form.get("payroll_reference")
                )
                message = ngettext(
                    "%(num)d payout marked paid.", "%(num)d payouts marked paid.", result.done
                )
            category = "success"
            if result.refused:
                category = "warning"
                message += " " + ngettext(
                    "%(num)d was skipped: %(reason)s",
                    "%(num)d were skipped, for example: %(reason)s",
                    len(result.refused),
                    reason=result.refused[0],
                )
        except services.PayoutError as exc:
            message, category, status = exc.message, "danger", exc.status
    if is_fragment_request():
        toast(message, category)
        return render(
            "payouts/index.html",
            block="results",
            status=status,
            **_page_context(_filters(request.args)),
        )
    flash(message, category)
    if status >= 400:
        return render("payouts/index.html", status=status, **_page_context(_filters(request.args)))
    return redirect(_back())


@bp.get("/mine")
def mine() -> Response:
    """The referrer's bonus schedules, per referral: every share with its date, amount and
    status, the ones still ahead included, and what is paid and still to come in all."""
    schedules = schedule.schedules_of(current_user)
    shares = [share for item in schedules for share in item.shares]
    totals = {
        "paid": schedule.add_up(s.amount for s in shares if s.state == schedule.ShareState.PAID),
        "coming": schedule.add_up(s.amount for s in shares if s.state.is_still_to_come),
    }
    return render("payouts/mine.html", schedules=schedules, totals=totals)
