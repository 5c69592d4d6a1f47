"""The referrer's own word on a candidate who applied themselves through their link, code or
invitation (`services.add_referrer_reason`): how they know them and why they fit, added on the
referral's page while HR has not decided. A route on the referrals blueprint, kept apart from
routes.py, which is long enough."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from community.core.htmx import render
from community.pipeline import Stage
from community.referrals import queries, services
from community.referrals.forms import fit_reason_field, known_for_field, relationship_field
from community.referrals.models import Referral, ReferralSource
from community.referrals.permissions import is_referrer_of
from community.referrals.routes import _detail_context, bp


class ReferrerReasonForm(FlaskForm):
    relationship = relationship_field()
    known_for = known_for_field()
    fit_reason = fit_reason_field()


def may_add_reason(user: object, referral: Referral) -> bool:
    """Whether the page offers `user` to add their reason: the referrer of an application that
    has none yet, still waiting for HR."""
    return (
        is_referrer_of(user, referral)  # type: ignore[arg-type]
        and referral.source != ReferralSource.FORM
        and not referral.fit_reason
        and referral.stage == Stage.SUBMITTED
    )


@bp.post("/<int:referral_id>/reason")
def add_reason(referral_id: int) -> Response:
    referral = queries.get_referral_for(current_user, referral_id)
    if not is_referrer_of(current_user, referral):
        abort(403)  # HR and the hiring manager read the referral; only its referrer vouches
    form = ReferrerReasonForm()
    if form.validate():
        try:
            services.add_referrer_reason(
                current_user,
                referral,
                form.relationship.data,
                form.known_for.data,
                form.fit_reason.data or "",
            )
        except services.ReferralError as exc:
            if exc.field != "fit_reason":
                flash(exc.message, "warning")
                return redirect(url_for("referrals.detail", referral_id=referral.id), 303)
            form.fit_reason.errors = [*form.fit_reason.errors, exc.message]
        else:
            flash(_("Thank you: HR now reads why you think they fit."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id), 303)
    referral = queries.get_referral_for(current_user, referral_id)
    return render(
        "referrals/detail.html", status=422, **_detail_context(referral, reason_form=form)
    )
