"""The network's pages: one's contacts (list, add, edit, delete one or all), import with a
preview, export, suggestions for jobs, the outreach coach and the follow-up coach. Thin: parse →
service → redirect or render. Every page is about the reader's own network only; a contact or a
referral that is not theirs is answered by the domain-error handler with the same 404 as a
missing one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import Select, select
from wtforms import SelectChoice

from community.core.htmx import render
from community.core.localized import localized, reader_language
from community.core.params import int_arg, page_arg, parse_int
from community.core.time import local_today, utcnow
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.network import exports, followup, imports, queries, services, suggestions
from community.network.forms import (
    CoachForm,
    ConfirmImportForm,
    ContactForm,
    DeleteAllForm,
    ImportForm,
    zone_choices,
)
from community.network.labels import (
    channel,
    closeness_label,
    moment,
    reason_text,
    tag_kind_labels,
)
from community.network.matching import fitting_keys
from community.network.models import NetworkContact, TagKind
from community.network.rules import ContactError, NetworkError
from community.pipeline import stage_label

bp = Blueprint("network", __name__, url_prefix="/network")
PER_PAGE = 50


@bp.context_processor
def _words() -> dict[str, Any]:
    return {
        "closeness_label": closeness_label,
        "kind_labels": tag_kind_labels(),
        "reason_text": reason_text,
        "moment": moment,
        "stage_label": stage_label,
    }


def _field_errors(form: Any, exc: NetworkError) -> None:
    errors = exc.errors if isinstance(exc, ContactError) else {exc.field or "": exc.message}
    for name, message in errors.items():
        if name in form:
            form[name].errors = [message]
        else:
            flash(message, "danger")


# The list ------------------------------------------------------------------------------------


@bp.get("/")
def index() -> Response:
    filters = queries.Filters.read(request.args)
    page = db.paginate(
        queries.contacts(current_user.id, filters),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render(
        "network/index.html",
        block="results",
        page=page,
        filters=filters,
        total=queries.count(current_user.id),
        tags=queries.tag_counts(current_user.id),
        kind_labels=tag_kind_labels(),
        today=local_today(),
    )


def _form_page(form: ContactForm, contact: NetworkContact | None, status: int = 200) -> Response:
    if contact is not None and contact.timezone:
        form.timezone.choices = zone_choices(contact.timezone)
    return render(
        "network/form.html",
        status=status,
        form=form,
        contact=contact,
        today_iso=local_today().isoformat(),
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
def new() -> Response:
    form = ContactForm() if request.method == "POST" else ContactForm(formdata=None)
    if request.method == "POST":
        try:
            contact = services.add_contact(current_user, form.to_fields())
        except NetworkError as exc:
            if exc.status == 404:
                raise
            _field_errors(form, exc)
            return _form_page(form, None, exc.status)
        flash(_("%(name)s is in your network now.", name=contact.name), "success")
        return redirect(url_for("network.index"))
    form.closeness.data = "ordinary"
    return _form_page(form, None)


def _fill(form: ContactForm, contact: NetworkContact) -> None:
    form.name.data = contact.name
    form.how_known.data = contact.how_known
    form.closeness.data = contact.closeness.value
    form.skills.data = ", ".join(contact.tags_of(TagKind.SKILL))
    form.industries.data = ", ".join(contact.tags_of(TagKind.INDUSTRY))
    form.wishes.data = ", ".join(contact.tags_of(TagKind.WISH))
    form.last_contact_on.data = (
        contact.last_contact_on.isoformat() if contact.last_contact_on else ""
    )
    form.notes.data = contact.notes
    form.email.data = contact.email or ""
    form.phone.data = contact.phone or ""
    form.timezone.data = contact.timezone or ""


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int) -> Response:
    contact = queries.get_own(current_user.id, contact_id)
    if request.method == "POST":
        form = ContactForm()
        try:
            services.update_contact(current_user, contact_id, form.to_fields())
        except NetworkError as exc:
            if exc.status == 404:
                raise
            _field_errors(form, exc)
            return _form_page(form, queries.get_own(current_user.id, contact_id), exc.status)
        flash(_("%(name)s is saved.", name=form.name.data.strip()), "success")
        return redirect(url_for("network.index"))
    form = ContactForm(formdata=None)
    _fill(form, contact)
    return _form_page(form, contact)


@bp.post("/contacts/<int:contact_id>/delete")
def delete(contact_id: int) -> Response:
    name = services.delete_contact(current_user, contact_id)
    flash(_("%(name)s is no longer in your network.", name=name), "success")
    return redirect(url_for("network.index"))


@bp.route("/delete-all", methods=["GET", "POST"])
def delete_all() -> Response:
    form = DeleteAllForm()
    total = queries.count(current_user.id)
    status = 200
    if request.method == "POST":
        if not form.confirm.data:
            form.confirm.errors = [_("Tick the box to confirm.")]
            status = 422
        else:
            expected = parse_int(form.expected.data, minimum=0)
            deleted = services.delete_all(current_user, -1 if expected is None else expected)
            flash(
                ngettext(
                    "%(num)d contact deleted. Your network is empty.",
                    "%(num)d contacts deleted. Your network is empty.",
                    deleted,
                ),
                "success",
            )
            return redirect(url_for("network.index"))
    form.expected.data = str(total)
    return render("network/delete_all.html", status=status, form=form, total=total)


# Import and export ---------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_file() -> Response:
    form = ImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "POST" and form.errors:
            return render("network/import.html", status=400, form=form)
        return render("network/import.html", form=form)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a CSV or vCard file.")]
        return render("network/import.html", status=422, form=form)
    data = upload.read(imports.max_bytes() + 1)
    try:
        parsed = imports.parse(data)
    except NetworkError as exc:
        form.file.errors = [exc.message]
        return render("network/import.html", status=422, form=form)
    rows = [row for _number, row in parsed.rows]
    plan = imports.plan(current_user.id, rows)
    confirm = ConfirmImportForm(formdata=None)
    confirm.preview.data = imports.sign(current_user.id, rows)
    db.session.rollback()  # a preview writes nothing
    return render(
        "network/import.html",
        form=form,
        parsed=parsed,
        plan=plan,
        confirm=confirm,
        filename=upload.filename,
    )


@bp.post("/import/confirm")
def import_confirm() -> Response:
    form = ConfirmImportForm()
    try:
        rows = imports.unsign(current_user.id, form.preview.data or "")
    except NetworkError as exc:
        flash(exc.message, "danger")
        return render("network/import.html", status=422, form=ImportForm(formdata=None))
    if not rows:
        flash(_("Nothing to import: every row of the file was refused."), "warning")
        return redirect(url_for("network.import_file"))
    added, merged = services.write_import(current_user, rows)
    flash(
        " ".join(
            (
                ngettext("%(num)d contact added.", "%(num)d contacts added.", added),
                ngettext(
                    "%(num)d merged with a contact you had.",
                    "%(num)d merged with contacts you had.",
                    merged,
                ),
            )
        ),
        "success",
    )
    return redirect(url_for("network.index"))


def _download(body: str, mimetype: str, extension: str) -> Response:
    filename = f"network-{local_today().isoformat()}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/export.csv")
def export_csv() -> Response:
    body = exports.as_csv(queries.all_contacts(current_user.id))
    return _download(body, "text/csv", "csv")


@bp.get("/export.vcf")
def export_vcard() -> Response:
    body = exports.as_vcards(queries.all_contacts(current_user.id))
    return _download(body, "text/vcard", "vcf")


# Suggestions ---------------------------------------------------------------------------------


@bp.get("/suggestions")
def suggestions_page() -> Response:
    contacts = queries.all_contacts(current_user.id)
    keys = {(tag.kind, tag.key) for contact in contacts for tag in contact.tags}
    jobs = db.session.scalars(select_open_jobs()).all()
    rows = []
    for job in jobs:
        fitting = fitting_keys(job, keys)
        count = sum(1 for c in contacts if any((t.kind, t.key) in fitting for t in c.tags))
        if count:
            rows.append((job, count))
    rows.sort(key=lambda row: (-row[1], row[0].title))
    return render("network/suggestions.html", rows=rows, total=len(contacts))


def select_open_jobs() -> Select[tuple[Job]]:
    return select(Job).where(Job.status == JobStatus.OPEN).order_by(Job.opened_at.desc(), Job.id)


@bp.get("/suggestions/<int:job_id>")
def job_suggestions(job_id: int) -> Response:
    job = services.open_job(job_id)
    found = suggestions.for_owner(current_user.id, job, reader_language())
    return render(
        "network/job_suggestions.html",
        job=job,
        found=found,
        total=queries.count(current_user.id),
    )


# The coaches ---------------------------------------------------------------------------------


def _coach_form(form: CoachForm) -> None:
    jobs = db.session.scalars(select_open_jobs()).all()
    form.job_id.choices = [SelectChoice("", _("Choose a job…"))] + [
        SelectChoice(str(job.id), localized(job, "title").text) for job in jobs
    ]


@bp.route("/coach", methods=["GET", "POST"])
def coach() -> Response:
    if request.method == "GET":
        form = CoachForm(formdata=None)
        contact_id = int_arg("contact")
        job_id = int_arg("job")
        contact = queries.get_own(current_user.id, contact_id) if contact_id else None
        if job_id:
            services.open_job(job_id)
            form.job_id.data = str(job_id)
        form.contact_id.data = str(contact.id) if contact else ""
        form.language.data = reader_language()
        form.closeness.data = "ordinary"
        _coach_form(form)
        return render("network/coach.html", form=form, contact=contact, coached=None)
    form = CoachForm()
    contact_id = parse_int(form.contact_id.data)
    contact = queries.get_own(current_user.id, contact_id) if contact_id else None
    _coach_form(form)
    ask = services.CoachRequest(
        job_id=parse_int(form.job_id.data),
        contact_id=contact_id,
        name=form.name.data or "",
        closeness=form.closeness.data or "",
        timezone=form.timezone.data or "",
        reason=form.reason.data or "",
        language=form.language.data or "",
        message=form.message.data if request.form.get("action") == "check" else None,
    )
    try:
        coached = services.coach(current_user, ask, utcnow())
    except NetworkError as exc:
        if exc.status == 404 and exc.field != "job_id":
            raise
        _field_errors(form, exc)
        return render("network/coach.html", status=422, form=form, contact=contact, coached=None)
    form.message.data = coached.draft.message
    return render(
        "network/coach.html",
        form=form,
        contact=coached.contact,
        coached=coached,
        channel=channel(coached.draft.closeness),
    )


@bp.get("/follow-up/<int:referral_id>")
def follow_up(referral_id: int) -> Response:
    language = request.args.get("lang") or reader_language()
    found = followup.follow_up(current_user, referral_id, language)
    return render("network/follow_up.html", found=found)
