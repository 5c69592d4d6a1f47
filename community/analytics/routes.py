"""The analytics pages: the dashboard (the whole page, or its content when the filter bar asks
through htmx) and a CSV file of each of its tables, under the same filters and scope.

Thin: read the filters (`filters.parse_filters`: a bad one is a 400 naming the field), cut them
to what the reader may see (`scope.scope_for`: a manager asking for another department is a 403
saying so), build the sections and findings, render. Every signed-in person has the page: what
it shows is decided by the scope.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from community.accounts.models import Department
from community.analytics import forms
from community.analytics.charts import cell_text
from community.analytics.exports import csv_response
from community.analytics.filters import AnalyticsError, Filters, parse_filters, previous
from community.analytics.freshness import rollups_as_of
from community.analytics.scope import Reach, Scope, scope_for
from community.analytics.views import findings as weak_spots
from community.analytics.views import sections
from community.core.htmx import render
from community.core.localized import localized
from community.core.time import local_today
from community.extensions import db

bp = Blueprint("analytics", __name__, url_prefix="/analytics")
bp.add_app_template_filter(cell_text, "cell")


@bp.app_template_filter("merged")
def merged(args: dict[str, str], overrides: dict[str, Any]) -> dict[str, str]:
    """The reader's filters with a finding's (a link to the numbers it speaks of)."""
    return {**args, **{key: str(value) for key, value in overrides.items()}}


def _read() -> tuple[Filters, Scope, forms.FilterChoices]:
    """The request's filters and the reader's scope, or the refusal (AnalyticsError)."""
    filters = parse_filters(request.args, local_today())
    choices = forms.filter_choices(current_user)
    if filters.job_id is not None and filters.job_id not in choices.job_ids():
        # A job the reader cannot see (an HR draft) answers exactly like one that does not exist.
        raise AnalyticsError(_("%(field)s: unknown choice.", field=_("Job")), field="job")
    return filters, scope_for(current_user, filters), choices


def _department_name(scope: Scope) -> str:
    if scope.reach != Reach.DEPARTMENT or scope.department_id is None:
        return ""
    department = db.session.get(Department, scope.department_id)
    return str(localized(department, "name")) if department else ""


def _block() -> str | None:
    # Going back to a pushed URL, htmx asks for the whole page.
    return None if request.headers.get("HX-History-Restore-Request") else "analytics"


@bp.get("/")
def dashboard() -> Response:
    filters, scope, choices = _read()
    context: dict[str, Any] = {
        "filters": scope.filters,
        "previous": previous(scope.filters),
        "scope": scope,
        "Reach": Reach,
        "choices": choices,
        "args": forms.as_args(scope.filters),
        "sections": sections.build_all(scope.filters, scope),
        "findings": weak_spots.findings_for(current_user, scope),
        "as_of": rollups_as_of(),
        "department_name": _department_name(scope),
    }
    return render("analytics/dashboard.html", block=_block(), **context)


@bp.get("/<key>.csv")
def export(key: str) -> Response:
    filters, scope, _choices = _read()
    section = sections.section_of(key)
    if section is None:
        abort(404)
    if section not in sections.builders(scope):
        abort(403)  # a section of another reader's (quality by referrer is HR's)
    table = sections.table(key, scope.filters, scope)
    if table is None:
        abort(404)
    return csv_response(table, forms.period_slug(scope.filters))
