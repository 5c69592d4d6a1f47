"""The Open Badges 3.0 data model as JSON Schema (draft 2019-09), written here from the
specification's data model (https://www.imsglobal.org/spec/ob/v3p0/, "Data Models": the
cardinalities marked [1] and [1..*] are `required`; types and formats as the spec gives them).

1EdTech publishes its own schema files; they are third-party data this repository does not
keep. Point `OB3_SCHEMA_DIR` at a folder holding `ob_v3p0_achievementcredential_schema.json`
and `ob_v3p0_profile_schema.json` to validate against those too (tests/credentials/test_export.py).
"""

from __future__ import annotations

from typing import Any

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"

URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string", "minLength": 1}


def _types(name: str) -> dict[str, Any]:
    """A `type`: the IRI itself, or a list of IRIs holding it."""
    return {
        "oneOf": [
            {"const": name},
            {"type": "array", "items": {"type": "string"}, "contains": {"const": name}},
        ]
    }


IMAGE = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {"id": URI, "type": {"const": "Image"}, "caption": {"type": "string"}},
}

PROFILE = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": URI,
        "type": _types("Profile"),
        "name": TEXT,
        "url": URI,
        "email": {"type": "string", "format": "email"},
        "description": {"type": "string"},
        "image": IMAGE,
    },
}

CRITERIA = {
    "type": "object",
    "anyOf": [{"required": ["id"]}, {"required": ["narrative"]}],
    "properties": {"id": URI, "narrative": TEXT},
}

ACHIEVEMENT = {
    "type": "object",
    "required": ["id", "type", "name", "description", "criteria"],
    "properties": {
        "id": URI,
        "type": _types("Achievement"),
        "name": TEXT,
        "description": TEXT,
        "criteria": CRITERIA,
        "image": IMAGE,
        "achievementType": {"type": "string"},
        "creator": PROFILE,
        "inLanguage": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
        "tag": {"type": "array", "items": {"type": "string"}},
    },
}

IDENTITY_OBJECT = {
    "type": "object",
    "required": ["type", "hashed", "identityHash", "identityType"],
    "properties": {
        "type": {"const": "IdentityObject"},
        "hashed": {"type": "boolean"},
        "identityHash": TEXT,
        "identityType": TEXT,
        "salt": {"type": "string"},
    },
}

ACHIEVEMENT_SUBJECT = {
    "type": "object",
    "required": ["type", "achievement"],
    "anyOf": [{"required": ["id"]}, {"required": ["identifier"]}],
    "properties": {
        "id": URI,
        "type": _types("AchievementSubject"),
        "achievement": ACHIEVEMENT,
        "identifier": {"type": "array", "minItems": 1, "items": IDENTITY_OBJECT},
        "name": {"type": "string"},
    },
}

CREDENTIAL_STATUS = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {"id": URI, "type": TEXT},
}

ACHIEVEMENT_CREDENTIAL = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "title": "OpenBadgeCredential (Open Badges 3.0, AchievementCredential)",
    "type": "object",
    "required": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 2,
            "prefixItems": [{"const": CREDENTIALS_V2}],
            "items": [{"const": CREDENTIALS_V2}],
            "contains": {"type": "string", "pattern": f"^{OB_CONTEXT_PREFIX}"},
        },
        "id": URI,
        "type": {
            "type": "array",
            "allOf": [
                {"contains": {"const": "VerifiableCredential"}},
                {"contains": {"enum": ["AchievementCredential", "OpenBadgeCredential"]}},
            ],
        },
        "name": TEXT,
        "issuer": PROFILE,
        "validFrom": DATE_TIME,
        "validUntil": DATE_TIME,
        "awardedDate": DATE_TIME,
        "credentialSubject": ACHIEVEMENT_SUBJECT,
        "credentialStatus": CREDENTIAL_STATUS,
        "credentialSchema": {
            "type": "array",
            "items": {"type": "object", "required": ["id", "type"]},
        },
    },
}

ISSUER_PROFILE = {"$schema": "https://json-schema.org/draft/2019-09/schema", **PROFILE}
