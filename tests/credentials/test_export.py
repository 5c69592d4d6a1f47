"""Exporting a badge as an Open Badges 3.0 credential: the document against the Open Badges 3.0
JSON schema (tests/credentials/ob3_schema.py, and 1EdTech's own files when OB3_SCHEMA_DIR names
them), the VC-JWT against the published key, who may export, and the issuer's pages."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey
from jsonschema import Draft201909Validator

from community.accounts.models import User
from community.badges.models import UserBadge
from community.credentials import keys, services
from community.credentials.models import IssuedCredential, IssuerKey
from community.extensions import db
from tests.credentials.ob3_schema import ACHIEVEMENT_CREDENTIAL, ISSUER_PROFILE

ACHIEVEMENT_CREDENTIAL_FILE = "ob_v3p0_achievementcredential_schema.json"
PROFILE_FILE = "ob_v3p0_profile_schema.json"

# 1EdTech's published schema files are third-party data this repository does not keep: a folder
# holding them may be named here, and the documents are then checked against them as well.
OFFICIAL = Path(os.environ["OB3_SCHEMA_DIR"]) if os.environ.get("OB3_SCHEMA_DIR") else None


def problems(document: dict[str, Any], ours: dict[str, Any], official_name: str) -> list[str]:
    """Where `document` breaks the Open Badges 3.0 schema (ours, and 1EdTech's when given)."""
    schemas = [ours]
    if OFFICIAL is not None:
        schemas.append(json.loads((OFFICIAL / official_name).read_text(encoding="utf-8")))
    checker = Draft201909Validator
    return sorted(
        str(error.message)
        for schema in schemas
        for error in checker(schema, format_checker=checker.FORMAT_CHECKER).iter_errors(document)
    )


def export(client, award: UserBadge, **data: str):
    return client.post(f"/credentials/badges/{award.id}/export", data={"language": "en", **data})


def only_credential() -> IssuedCredential:
    return db.session.scalars(db.select(IssuedCredential)).one()


def published_key(client, token: str) -> OKPKey:
    """What a verifier does: the JWT header's kid is a URL; fetch the JWK there."""
    header = jws.extract_compact(token.encode()).headers()
    path = header["kid"].removeprefix("http://127.0.0.1:5000")
    found = client.get(path, headers={"Accept": "application/json"})
    assert found.status_code == 200
    return OKPKey.import_key(found.get_json())


def test_the_credential_validates_against_the_open_badges_3_schema(
    client, auth, earner: User, award: UserBadge
) -> None:
    auth.login(earner)
    assert export(client, award, language="zh_CN").status_code == 303
    issued = only_credential()
    claims = services.decoded(issued)
    assert problems(claims, ACHIEVEMENT_CREDENTIAL, ACHIEVEMENT_CREDENTIAL_FILE) == []
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["inLanguage"] == "zh-CN" and not achievement["name"].isascii()
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"
    assert claims["id"].endswith(f"/credentials/{issued.token}")
    issuer = client.get("/credentials/issuer", headers={"Accept": "application/ld+json"})
    assert issuer.mimetype == "application/ld+json"
    assert problems(issuer.get_json(), ISSUER_PROFILE, PROFILE_FILE) == []
    assert issuer.get_json()["id"] == claims["issuer"]["id"]


def test_the_earner_is_a_salted_hash_of_their_email_not_the_address(
    client, auth, earner: User, award: UserBadge
) -> None:
    auth.login(earner)
    export(client, award)
    issued = only_credential()
    assert earner.email not in issued.jwt and earner.email not in json.dumps(
        services.decoded(issued)
    )
    identity = services.decoded(issued)["credentialSubject"]["identifier"]
    assert len(identity) == 1  # no name: the earner did not choose to show it
    salted = hashlib.sha256((earner.email + identity[0]["salt"]).encode()).hexdigest()
    assert identity[0]["identityHash"] == f"sha256${salted}"
    auth.logout()  # the public page, as anyone opens it
    page = client.get(f"/credentials/{issued.token}").get_data(as_text=True)
    assert "Erin Earner" not in page and "chose not to show their name" in page


def test_both_languages_and_the_name_when_chosen(client, auth, earner, award) -> None:
    auth.login(earner)
    export(client, award, language="both", show_name="y")
    issued = only_credential()
    achievement = services.decoded(issued)["credentialSubject"]["achievement"]
    assert achievement["name"].startswith("First hire / ")
    assert "inLanguage" not in achievement
    names = [
        i
        for i in services.decoded(issued)["credentialSubject"]["identifier"]
        if i["identityType"] == "name"
    ]
    assert names and names[0]["identityHash"] == "Erin Earner"
    auth.logout()
    assert "Erin Earner" in client.get(f"/credentials/{issued.token}").get_data(as_text=True)


def test_the_jwt_verifies_with_the_published_key_and_fails_when_tampered(
    client, auth, earner, award
) -> None:
    auth.login(earner)
    export(client, award)
    token = only_credential().jwt
    key = published_key(client, token)
    with keys.eddsa_allowed():
        assert (
            jwt.decode(token, key, algorithms=["EdDSA"])
            .claims["iss"]
            .endswith("/credentials/issuer")
        )
        head, payload, signature = token.split(".")
        forged_payload = payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB")
        with pytest.raises(BadSignatureError):
            jwt.decode(f"{head}.{forged_payload}.{signature}", key, algorithms=["EdDSA"])
        other = OKPKey.generate_key("Ed25519")
        with pytest.raises(BadSignatureError):
            jwt.decode(token, other, algorithms=["EdDSA"])
    assert services.verify_jwt(token).valid
    refused = services.verify_jwt(f"{head}.{forged_payload}.{signature}")
    assert not refused.valid and "changed" in (refused.problem or "")


def test_only_the_earner_exports_and_downloads(client, auth, hr, stranger, earner, award) -> None:
    for someone in (stranger, hr):
        auth.logout()
        auth.login(someone)
        assert export(client, award).status_code == 404
        assert client.get(f"/credentials/badges/{award.id}/export").status_code == 404
    assert db.session.scalars(db.select(IssuedCredential)).all() == []
    auth.logout()
    auth.login(earner)
    export(client, award)
    issued = only_credential()
    mine = client.get(f"/credentials/{issued.token}/credential.jwt")
    assert mine.status_code == 200 and mine.get_data(as_text=True) == issued.jwt
    assert "attachment" in mine.headers["Content-Disposition"]
    as_json = client.get(f"/credentials/{issued.token}/credential.json")
    assert as_json.get_json()["id"].endswith(issued.token)
    assert client.get(f"/credentials/{issued.token}/credential.xml").status_code == 404
    auth.logout()
    auth.login(stranger)
    assert client.get(f"/credentials/{issued.token}/credential.jwt").status_code == 404


def test_a_revoked_badge_cannot_be_exported(client, auth, hr, earner, award) -> None:
    from community.badges import services as badge_services

    badge_services.revoke_badge(hr, award, "Granted by mistake")
    auth.login(earner)
    response = export(client, award)
    assert response.status_code == 409
    assert "revoked and cannot be exported" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(IssuedCredential)).all() == []
    page = client.get(f"/credentials/badges/{award.id}/export").get_data(as_text=True)
    assert 'data-testid="export-revoked"' in page and 'data-testid="export-form"' not in page


def test_an_unknown_language_is_refused_in_words(client, auth, earner, award) -> None:
    auth.login(earner)
    response = export(client, award, language="fr")
    assert response.status_code == 422
    assert "Please choose a language." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(IssuedCredential)).all() == []


@pytest.mark.parametrize(
    "path",
    [
        "/credentials/short",
        "/credentials/" + "A" * 32,
        "/credentials/" + "A" * 200,
        "/credentials/issuer/keys/nope",
        "/credentials/badges/987654/export",
    ],
)
def test_bad_ids_are_404(client, auth, earner, path: str) -> None:
    auth.login(earner)
    assert client.get(path).status_code == 404


def test_the_issuer_page_is_html_for_people_and_json_ld_for_machines(client) -> None:
    page = client.get("/credentials/issuer", headers={"Accept": "text/html,*/*"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    data = client.get("/credentials/issuer", headers={"Accept": "application/json"})
    assert data.get_json()["type"] == ["Profile"]
    assert data.get_json()["name"]


def test_the_key_is_made_once_sealed_and_survives_a_new_secret(
    app, client, auth, earner, award
) -> None:
    auth.login(earner)
    export(client, award)
    first = only_credential()
    row = db.session.scalars(db.select(IssuerKey)).one()
    assert b"PRIVATE KEY" not in row.private_key_sealed
    assert keys.unseal(row.private_key_sealed).startswith(b"-----BEGIN PRIVATE KEY-----")
    export(client, award)
    assert db.session.scalar(db.select(db.func.count(IssuerKey.id))) == 1  # the same key signs
    old_secret = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-new-secret"
    try:
        assert keys.unseal(row.private_key_sealed) is None
        services.issue_credential(earner, award, "en")  # (the new secret ended the session)
        rows = db.session.scalars(db.select(IssuerKey).order_by(IssuerKey.id)).all()
        assert len(rows) == 2 and rows[0].retired_at is not None and rows[1].retired_at is None
        assert services.verify_jwt(first.jwt).valid  # the retired key still verifies
        listed = client.get("/credentials/issuer", headers={"Accept": "application/json"})
        assert len(listed.get_json()["verificationMethod"]) == 2
    finally:
        app.config["SECRET_KEY"] = old_secret


@pytest.mark.parametrize(
    ("breaking", "complaint"),
    [
        (lambda c: c.pop("validFrom"), "'validFrom' is a required property"),
        (lambda c: c.update(type=["VerifiableCredential"]), "does not contain"),
        (lambda c: c["credentialSubject"]["achievement"].pop("criteria"), "'criteria' is a"),
        (lambda c: c["@context"].reverse(), "was expected"),
        (lambda c: c["issuer"].update(id="not a uri"), "is not a 'uri'"),
    ],
)
def test_the_schema_catches_a_credential_that_breaks_the_model(
    client, auth, earner: User, award: UserBadge, breaking: Any, complaint: str
) -> None:
    auth.login(earner)
    export(client, award)
    claims = services.decoded(only_credential())
    breaking(claims)
    found = problems(claims, ACHIEVEMENT_CREDENTIAL, ACHIEVEMENT_CREDENTIAL_FILE)
    assert any(complaint in problem for problem in found), found
