"""The Open Badges 3.0 documents: the issuer `Profile`, the `Achievement` a badge stands for and
the `OpenBadgeCredential` (a W3C Verifiable Credential, data model 2.0) an award is exported as.

Every URL in them starts with APP_BASE_URL, never the request's host: the issuer's id must be
the same whichever address a page was opened on.
"""

from __future__ import annotations

import hashlib
import uuid
from base64 import b64encode
from datetime import UTC, datetime
from html import escape
from typing import Any

from flask import current_app
from flask_babel import force_locale

from community.badges import registry
from community.badges.models import UserBadge
from community.core.links import url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# The status method Open Badges 3.0 defines (1EdTech Revocation List): the list of revoked
# credential ids at one URL, which a verifier fetches and looks the credential up in.
STATUS_TYPE = "1EdTechRevocationList"
LANGUAGES = ("en", "zh_CN", "both")
_LANGUAGE_TAGS = {"en": "en", "zh_CN": "zh-CN"}
# The colour of each badge chip (templates' badge-chip-*), for the badge's picture.
_COLOURS = {
    "blue": "#2563eb", "teal": "#0d9488", "green": "#16a34a", "orange": "#ea580c",
    "purple": "#7c3aed", "pink": "#db2777", "red": "#dc2626", "gold": "#ca8a04",
    "silver": "#64748b", "bronze": "#b45309",
}  # fmt: skip


def absolute(endpoint: str, **values: Any) -> str:
    """An absolute URL of this site on APP_BASE_URL."""
    return str(current_app.config["APP_BASE_URL"]).rstrip("/") + url(endpoint, **values)


def issuer_id() -> str:
    return absolute("credentials.issuer")


def key_url(kid: str) -> str:
    """Where the public JWK of key `kid` is published: the JWT header's `kid`."""
    return absolute("credentials.issuer_key", kid=kid)


def credential_url(token: str) -> str:
    """A credential's id: its public verification page."""
    return absolute("credentials.verification", token=token)


def issuer_profile(*, keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The issuer `Profile`; with `keys` (the public JWKs, the issuer page) as its
    verification methods, so a verifier finds the key a JWT's `kid` names."""
    company = str(current_app.config["COMPANY_NAME"])
    profile: dict[str, Any] = {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": company,
        "url": str(current_app.config["APP_BASE_URL"]).rstrip("/") + "/",
    }
    if keys is not None:
        profile = {"@context": CONTEXT, **profile}
        profile["verificationMethod"] = [
            {
                "id": key_url(jwk["kid"]),
                "type": "JsonWebKey",
                "controller": profile["id"],
                "publicKeyJwk": jwk,
            }
            for jwk in keys
        ]
    return profile


def _in(language: str, text: Any) -> str:
    with force_locale(language):
        return str(text)


def _worded(language: str, text: Any) -> str:
    """`text` (a lazy string) in `language`, or both languages, English first."""
    if language == "both":
        return f"{_in('en', text)} / {_in('zh_CN', text)}"
    return _in(language, text)


def _label(language: str, badge: registry.Badge, tier: str) -> str:
    if language == "both":
        return f"{_in('en', badge.label(tier))} / {_in('zh_CN', badge.label(tier))}"
    with force_locale(language):
        return badge.label(tier)


def badge_picture(badge: registry.Badge, tier: str) -> str:
    """The badge as a small SVG picture, a data: URL (the credential carries its own image)."""
    found = badge.tier(tier)
    css = (found.css if found and found.css else badge.css).removeprefix("badge-chip-")
    colour = _COLOURS.get(css, "#2563eb")
    initial = escape(_in("en", badge.label(tier))[:1].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<circle cx="128" cy="128" r="120" fill="{colour}"/>'
        '<circle cx="128" cy="128" r="96" fill="none" stroke="#fff" stroke-width="8"/>'
        '<text x="128" y="158" font-family="sans-serif" font-size="96" font-weight="700" '
        f'fill="#fff" text-anchor="middle">{initial}</text></svg>'
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()


def achievement(badge: registry.Badge, tier: str, language: str) -> dict[str, Any]:
    """The `Achievement` a badge (one tier of it) stands for, in `language` or both."""
    name = _label(language, badge, tier)
    found: dict[str, Any] = {
        # Stable for the badge and tier: the same achievement in every credential of it.
        "id": "urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer_id()}#{badge.key}:{tier}")),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": name,
        "description": _worded(language, badge.description),
        "criteria": {"narrative": _worded(language, badge.how_to_earn)},
        "image": {"id": badge_picture(badge, tier), "type": "Image", "caption": name},
        "creator": issuer_profile(),
    }
    if language in _LANGUAGE_TAGS:
        found["inLanguage"] = _LANGUAGE_TAGS[language]
    return found


def email_identity(email: str, salt: str) -> dict[str, Any]:
    """The earner as Open Badges allows without disclosing them: the SHA-256 of their e-mail
    address and a salt. Whoever knows the address can check it; nobody can read it."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def _iso(moment: datetime) -> str:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential(
    *,
    token: str,
    award: UserBadge,
    email: str,
    salt: str,
    language: str,
    shown_name: str | None,
    issued_at: datetime,
) -> dict[str, Any]:
    """The `OpenBadgeCredential` for `award`, before signing."""
    badge = registry.get(award.badge_key)
    if badge is None:
        raise ValueError(f"unknown badge {award.badge_key!r}")
    identifiers = [email_identity(email, salt)]
    if shown_name:  # the earner chose to show their name
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityHash": shown_name,
                "identityType": "name",
                "hashed": False,
            }
        )
    found = achievement(badge, award.tier, language)
    return {
        "@context": CONTEXT,
        "id": credential_url(token),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": found["name"],
        "issuer": issuer_profile(),
        "validFrom": _iso(issued_at),
        "awardedDate": _iso(award.earned_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": found,
        },
        "credentialStatus": {"id": absolute("credentials.revocations"), "type": STATUS_TYPE},
        "credentialSchema": [CREDENTIAL_SCHEMA],
    }


def jwt_claims(document: dict[str, Any], issued_at: datetime) -> dict[str, Any]:
    """The VC-JWT payload: the credential itself plus the registered claims the VC-JWT rules
    map from it (iss = issuer id, jti = credential id, nbf/iat = validFrom)."""
    moment = int(
        (issued_at.replace(tzinfo=UTC) if issued_at.tzinfo is None else issued_at).timestamp()
    )
    return {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": moment,
        "iat": moment,
    }
