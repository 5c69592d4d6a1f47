"""Credential pages. Public: the issuer profile (JSON-LD or HTML), its keys, the revocation list,
a credential's verification page and the form to check a pasted credential. Signed in: the
earner's export page and downloads. Thin: parse → service → render."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from community.badges import queries as badge_queries
from community.badges import registry
from community.core.htmx import render
from community.core.permissions import public
from community.credentials import document, keys, queries, services
from community.credentials.forms import ExportForm, VerifyForm
from community.extensions import limiter

bp = Blueprint("credentials", __name__, url_prefix="/credentials")

JSON_TYPES = ("application/ld+json", "application/json")


def _wants_json() -> bool:
    """JSON for a verifier (Accept: application/ld+json or application/json), HTML for a
    browser (which asks for text/html first)."""
    best = request.accept_mimetypes.best_match(("text/html", *JSON_TYPES))
    return best in JSON_TYPES


def _json(body: Any, status: int = 200) -> Response:
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False, indent=2),
        status=status,
        mimetype="application/ld+json" if "@context" in body else "application/json",
    )
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers fetch it from anywhere
    return response


# The issuer ------------------------------------------------------------------------------------


@bp.get("/issuer")
@public
def issuer() -> Response:
    published = keys.public_keys()
    jwks = [{**json.loads(row.public_jwk), "kid": row.kid} for row in published]
    profile = document.issuer_profile(keys=jwks)
    if _wants_json():
        return _json(profile)
    response = render(
        "credentials/issuer.html",
        profile=profile,
        keys=published,
        revocations_url=document.absolute("credentials.revocations"),
    )
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/issuer/keys/<kid>")
@public
def issuer_key(kid: str) -> Response:
    row = keys.by_kid(kid)
    if row is None:
        abort(404)
    return _json({**json.loads(row.public_jwk), "kid": row.kid, "alg": keys.ALGORITHM})


@bp.get("/revocations")
@public
def revocations() -> Response:
    """The 1EdTech Revocation List: the ids of every revoked credential (never the reason)."""
    return _json(
        {
            "id": document.absolute("credentials.revocations"),
            "issuer": document.issuer_id(),
            "revokedCredentials": [
                {"id": document.credential_url(found.token)} for found in queries.revoked()
            ],
        }
    )


# Verifying ---------------------------------------------------------------------------------------


def _verify_limit() -> str:
    return str(current_app.config["CREDENTIALS_VERIFY_RATE_LIMIT"])


@bp.route("/verify", methods=["GET", "POST"])
@public
@limiter.limit(_verify_limit, methods=["POST"])
def verify() -> Response:
    form = VerifyForm()
    result = None
    status = 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        result = services.verify_jwt(form.jwt.data)
        status = 200 if result.valid else 422
    return render("credentials/verify.html", form=form, result=result, status=status)


@bp.get("/<token>")
@public
def verification(token: str) -> Response:
    found = queries.by_token_or_404(token)
    badge = registry.get(found.award.badge_key)
    status = {
        "id": document.credential_url(found.token),
        "status": "revoked" if found.revoked_at else "valid",
        "issuedAt": found.issued_at.isoformat() + "Z",
        "revokedAt": found.revoked_at.isoformat() + "Z" if found.revoked_at else None,
    }
    if _wants_json():
        return _json(status)
    response = render(
        "credentials/verification.html",
        credential=found,
        badge=badge,
        picture=document.badge_picture(badge, found.award.tier) if badge else None,
    )
    response.headers["Vary"] = "Accept"
    return response


# The earner's own ------------------------------------------------------------------------------


def _award(award_id: int) -> Any:
    return badge_queries.award_of(current_user.id, award_id)


def _export_page(
    award: Any, form: ExportForm, status: int = 200, error: str | None = None
) -> Response:
    return render(
        "credentials/export.html",
        status=status,
        award=award,
        badge=registry.get(award.badge_key),
        form=form,
        error=error,
        issued=queries.for_award(current_user.id, award.id),
        share_url=document.credential_url,
    )


@bp.route("/badges/<int:award_id>/export", methods=["GET", "POST"])
def export(award_id: int) -> Response:
    award = _award(award_id)
    if request.method == "GET":
        locale = str(getattr(current_user, "locale", "") or "en")
        form = ExportForm(
            formdata=None, data={"language": locale if locale in document.LANGUAGES else "en"}
        )
        return _export_page(award, form)
    form = ExportForm()
    if not form.validate():
        return _export_page(award, form, status=400, error=_("The form expired. Please try again."))
    try:
        services.issue_credential(current_user, award, form.language.data, form.show_name.data)
    except services.CredentialsError as exc:
        return _export_page(award, form, status=exc.status, error=exc.message)
    flash(_("Your credential is ready: download it or share its link."), "success")
    return redirect(url_for("credentials.export", award_id=award.id), code=303)


@bp.get("/<token>/credential.<fmt>")
def download(token: str, fmt: str) -> Response:
    found = queries.own_or_404(current_user.id, token)
    badge = registry.get(found.award.badge_key)
    stem = f"{badge.key if badge else 'badge'}-{found.token[:8]}"
    if fmt == "jwt":
        body, mimetype = found.jwt, "application/jwt"
    elif fmt == "json":
        claims = services.decoded(found)
        body, mimetype = json.dumps(claims, ensure_ascii=False, indent=2), "application/ld+json"
    else:
        abort(404)
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
