"""The inbound endpoint an ATS posts to, and HR's integration pages (`/integrations/webhooks…`,
HR only: 403 for anyone else). Thin: parse → service → redirect or render. A new secret is shown
once, in the answer to the POST that made it, and never again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import render
from community.core.params import parse_int
from community.core.permissions import hr_required, public
from community.extensions import csrf, limiter
from community.pipeline import stage_label
from community.webhooks import inbound, queries, sending, services
from community.webhooks.errors import WebhookError
from community.webhooks.forms import (
    EndpointForm,
    LinkForm,
    MappingForm,
    SecretForm,
    SourceForm,
)
from community.webhooks.labels import event_label, outcome_label, status_label
from community.webhooks.models import DeliveryStatus, EventType

bp = Blueprint("webhooks", __name__)


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        webhook_event_label=event_label,
        webhook_status_label=status_label,
        webhook_outcome_label=outcome_label,
        webhook_stage_label=stage_label,
    )


def _inbound_limit() -> str:
    return str(current_app.config.get("WEBHOOKS_INBOUND_RATE_LIMIT", "120 per minute"))


def _source_and_address() -> str:
    return f"webhooks:{request.view_args.get('source') if request.view_args else ''}:{request.remote_addr}"


@bp.post("/webhooks/ats/<source>")
@public
@csrf.exempt
@limiter.limit(_inbound_limit, key_func=_source_and_address)
def ats(source: str) -> tuple[Response, int]:
    """An ATS's event: authenticated by its Standard Webhooks signature, not a session, so it
    carries no CSRF token (see tests/security/policy.py)."""
    try:
        answer = inbound.receive(source, request.get_data(cache=False), dict(request.headers))
    except WebhookError as refusal:
        return jsonify(error=refusal.code or "refused", message=refusal.message), refusal.status
    return jsonify(answer.body), answer.status


# HR's pages --------------------------------------------------------------------------------


@bp.get("/integrations/webhooks")
@hr_required
def index() -> Response:
    return render(
        "webhooks/index.html",
        sources=queries.sources(),
        endpoints=queries.endpoints(),
        counts=queries.delivery_counts(),
        DeliveryStatus=DeliveryStatus,
    )


def _refused(form: Any, refusal: WebhookError) -> None:
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        flash(refusal.message, "danger")


def _secret_page(secret: str, back: str, what: str) -> Response:
    return render("webhooks/secret.html", secret=secret, back=back, what=what)


@bp.route("/integrations/webhooks/sources/new", methods=["GET", "POST"])
@hr_required
def new_source() -> Response:
    form = SourceForm(formdata=None) if request.method == "GET" else SourceForm()
    if request.method == "POST":
        try:
            source, secret = services.create_source(
                current_user, form.name.data or "", form.slug.data or "", form.preset.data or ""
            )
        except WebhookError as refusal:
            _refused(form, refusal)
            return render("webhooks/source_form.html", form=form, status=refusal.status)
        return _secret_page(secret, url_for("webhooks.source", source_id=source.id), source.name)
    return render("webhooks/source_form.html", form=form)


def _source_page(source_id: int, status: int = 200, **forms: Any) -> Response:
    source = queries.get_source(source_id)
    mapping = forms.get("mapping") or MappingForm(formdata=None)
    if mapping.mapping.data is None:
        mapping.mapping.data = services.mapping_text(source)
    return render(
        "webhooks/source.html",
        status=status,
        source=source,
        mapping_form=mapping,
        secret_form=forms.get("secret") or SecretForm(formdata=None),
        link_form=forms.get("link") or LinkForm(formdata=None),
        secrets=queries.secrets(source),
        links=queries.links(source),
        received=queries.received(source),
        address=url_for("webhooks.ats", source=source.slug, _external=True),
    )


@bp.get("/integrations/webhooks/sources/<int:source_id>")
@hr_required
def source(source_id: int) -> Response:
    return _source_page(source_id)


@bp.post("/integrations/webhooks/sources/<int:source_id>/mapping")
@hr_required
def save_mapping(source_id: int) -> Response:
    source = queries.get_source(source_id)
    form = MappingForm()
    try:
        services.save_mapping(current_user, source, form.mapping.data or "")
    except WebhookError as refusal:
        _refused(form, refusal)
        return _source_page(source_id, refusal.status, mapping=form)
    flash(_("Stage mapping saved."), "success")
    return redirect(url_for("webhooks.source", source_id=source_id), 303)


@bp.post("/integrations/webhooks/sources/<int:source_id>/switch")
@hr_required
def switch_source(source_id: int) -> Response:
    source = queries.get_source(source_id)
    services.switch_source(current_user, source, request.form.get("on") == "1")
    flash(_("Source %(name)s saved.", name=source.name), "success")
    return redirect(url_for("webhooks.source", source_id=source_id), 303)


@bp.post("/integrations/webhooks/sources/<int:source_id>/secrets")
@hr_required
def new_source_secret(source_id: int) -> Response:
    source = queries.get_source(source_id)
    form = SecretForm()
    raw = (form.days.data or "").strip()
    days = parse_int(raw, minimum=0)
    try:
        if raw and days is None:
            raise WebhookError(_("Please enter a number of days."), field="days")
        secret = services.add_source_secret(current_user, source, days)
    except WebhookError as refusal:
        _refused(form, refusal)
        return _source_page(source_id, refusal.status, secret=form)
    return _secret_page(secret, url_for("webhooks.source", source_id=source_id), source.name)


@bp.post("/integrations/webhooks/sources/<int:source_id>/secrets/<int:secret_id>/retire")
@hr_required
def retire_secret(source_id: int, secret_id: int) -> Response:
    source = queries.get_source(source_id)
    services.retire_source_secret(current_user, source, secret_id)
    flash(_("Secret retired: signatures made with it no longer verify."), "success")
    return redirect(url_for("webhooks.source", source_id=source_id), 303)


@bp.post("/integrations/webhooks/sources/<int:source_id>/links")
@hr_required
def link_application(source_id: int) -> Response:
    source = queries.get_source(source_id)
    form = LinkForm()
    try:
        services.link_application(
            current_user, source, form.application_id.data or "", parse_int(form.referral_id.data)
        )
    except WebhookError as refusal:
        _refused(form, refusal)
        return _source_page(source_id, refusal.status, link=form)
    flash(_("Application linked."), "success")
    return redirect(url_for("webhooks.source", source_id=source_id), 303)


@bp.route("/integrations/webhooks/endpoints/new", methods=["GET", "POST"])
@hr_required
def new_endpoint() -> Response:
    if request.method == "GET":
        form = EndpointForm(formdata=None)
        form.events.data = [e.value for e in EventType]
        return render("webhooks/endpoint_form.html", form=form, endpoint=None)
    form = EndpointForm()
    try:
        endpoint, secret = services.add_endpoint(current_user, form.fields())
    except WebhookError as refusal:
        _refused(form, refusal)
        return render(
            "webhooks/endpoint_form.html", form=form, endpoint=None, status=refusal.status
        )
    return _secret_page(secret, url_for("webhooks.index"), endpoint.name)


@bp.route("/integrations/webhooks/endpoints/<int:endpoint_id>", methods=["GET", "POST"])
@hr_required
def endpoint(endpoint_id: int) -> Response:
    endpoint = queries.get_endpoint(endpoint_id)
    if request.method == "GET":
        form = EndpointForm(formdata=None).fill_from(endpoint)
        return render("webhooks/endpoint_form.html", form=form, endpoint=endpoint)
    form = EndpointForm()
    try:
        services.update_endpoint(current_user, endpoint, form.fields())
    except WebhookError as refusal:
        _refused(form, refusal)
        return render(
            "webhooks/endpoint_form.html", form=form, endpoint=endpoint, status=refusal.status
        )
    flash(_("Endpoint %(name)s saved.", name=endpoint.name), "success")
    return redirect(url_for("webhooks.index"), 303)


@bp.post("/integrations/webhooks/endpoints/<int:endpoint_id>/secret")
@hr_required
def new_endpoint_secret(endpoint_id: int) -> Response:
    endpoint = queries.get_endpoint(endpoint_id)
    secret = services.new_endpoint_secret(current_user, endpoint)
    return _secret_page(secret, url_for("webhooks.index"), endpoint.name)


@bp.get("/integrations/webhooks/deliveries")
@hr_required
def deliveries() -> Response:
    endpoint_id = parse_int(request.args.get("endpoint_id"))
    raw_status = request.args.get("status") or ""
    status = DeliveryStatus(raw_status) if raw_status in {s.value for s in DeliveryStatus} else None
    return render(
        "webhooks/deliveries.html",
        rows=queries.deliveries(endpoint_id, status),
        endpoints=queries.endpoints(),
        endpoint_id=endpoint_id,
        chosen=status,
        DeliveryStatus=DeliveryStatus,
    )


@bp.get("/integrations/webhooks/deliveries/<int:delivery_id>")
@hr_required
def delivery(delivery_id: int) -> Response:
    return render("webhooks/delivery.html", delivery=queries.get_delivery(delivery_id))


@bp.post("/integrations/webhooks/deliveries/<int:delivery_id>/replay")
@hr_required
def replay(delivery_id: int) -> Response:
    delivery = queries.get_delivery(delivery_id)
    status = sending.replay(delivery)
    if status == DeliveryStatus.SENT:
        flash(_("Sent again: the endpoint took it."), "success")
    else:
        flash(_("Sent again, but the endpoint did not take it: see the last attempt."), "danger")
    return redirect(url_for("webhooks.delivery", delivery_id=delivery_id), 303)
