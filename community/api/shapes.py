"""What the API answers: each resource as JSON, and its JSON Schema for the OpenAPI description,
side by side so that they change together. Times are UTC in ISO 8601 with a Z; money is integer
minor units with a currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from community.accounts.models import Department, User
from community.jobs.models import Job, JobFamily, JobStatus
from community.payouts.models import CancelCause, Payout, PayoutStatus
from community.pipeline import Stage
from community.referrals.models import (
    EventKind,
    Referral,
    ReferralEvent,
    ReferralSource,
)

Json = dict[str, Any]


def moment(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def money(minor: int, currency: str) -> Json:
    return {"amount_minor": minor, "currency": currency}


def department(item: Department | None) -> Json | None:
    if item is None:
        return None
    return {"id": item.id, "name": item.name, "name_en": item.name_en}


def job(item: Job) -> Json:
    return {
        "id": item.id,
        "title": item.title,
        "title_en": item.title_en,
        "family": item.family.value,
        "status": item.status.value,
        "department": department(item.department),
        "location": item.location,
        "location_en": item.location_en,
        "hard_to_fill": bool(item.hard_to_fill),
        "bonus": money(item.bonus_minor, item.bonus_currency),
        "hiring_manager_id": item.hiring_manager_id,
        "opened_at": moment(item.opened_at),
        "closed_at": moment(item.closed_at),
        "updated_at": moment(item.updated_at),
    }


def history_entry(item: ReferralEvent) -> Json:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "from_stage": item.from_stage.value if item.from_stage else None,
        "to_stage": item.to_stage.value if item.to_stage else None,
        "reason_code": item.reason_code,
        "actor_id": item.actor_id,
        "at": moment(item.created_at),
    }


def referral(item: Referral, *, with_candidate: bool, with_history: bool = False) -> Json:
    """A referral. The candidate's name and contact only with `with_candidate` (the
    candidates:read scope); the referrer's reasons, ratings, resume and HR's notes never."""
    shaped: Json = {
        "id": item.id,
        "job_id": item.job_id,
        "referrer_id": item.referrer_id,
        "candidate_id": item.candidate_id,
        "source": item.source.value,
        "stage": item.stage.value,
        "stage_changed_at": moment(item.stage_changed_at),
        "submitted_at": moment(item.submitted_at),
        "review_due_at": moment(item.review_due_at),
        "start_date": day(item.start_date),
        "left_company_on": day(item.left_company_on),
        "bonus": money(item.bonus_minor, item.bonus_currency),
    }
    if with_candidate:
        shaped["candidate"] = {
            "name": item.candidate.name,
            "email": item.candidate.email,
            "phone": item.candidate.phone,
        }
    if with_history:
        shaped["history"] = [history_entry(event) for event in item.events]
    return shaped


def payout(item: Payout) -> Json:
    return {
        "id": item.id,
        "referral_id": item.referral_id,
        "referrer_id": item.referrer_id,
        "stage": item.stage.value,
        "share_percent": item.share_percent,
        "amount": money(item.amount_minor, item.currency),
        "status": item.status.value,
        "created_at": moment(item.created_at),
        "due_on": day(item.due_on),
        "approved_at": moment(item.approved_at),
        "paid_on": day(item.paid_on),
        "cancelled_at": moment(item.cancelled_at),
        "cancel_cause": item.cancel_cause.value if item.cancel_cause else None,
    }


def person(item: User) -> Json:
    """A colleague as the staff directory shows them: no e-mail, role or anything private."""
    return {"id": item.id, "name": item.shown_name, "department": department(item.department)}


# JSON Schemas (OpenAPI 3.1 speaks JSON Schema 2020-12) --------------------------------------


def _values(kind: Any) -> list[str]:
    return [member.value for member in kind]


def _nullable(schema: Json) -> Json:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
MONEY = {
    "type": "object",
    "required": ["amount_minor", "currency"],
    "properties": {
        "amount_minor": {"type": "integer", "description": "In minor units (fen, cents)."},
        "currency": {"type": "string", "minLength": 3, "maxLength": 3},
    },
}


def _object(properties: Json, optional: tuple[str, ...] = ()) -> Json:
    return {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }


SCHEMAS: dict[str, Json] = {
    "Money": MONEY,
    "Department": _object({"id": INTEGER, "name": STRING, "name_en": _nullable(STRING)}),
    "Job": _object(
        {
            "id": INTEGER,
            "title": STRING,
            "title_en": _nullable(STRING),
            "family": {"enum": _values(JobFamily)},
            "status": {"enum": _values(JobStatus)},
            "department": _nullable({"$ref": "#/components/schemas/Department"}),
            "location": STRING,
            "location_en": _nullable(STRING),
            "hard_to_fill": {"type": "boolean"},
            "bonus": {"$ref": "#/components/schemas/Money"},
            "hiring_manager_id": _nullable(INTEGER),
            "opened_at": _nullable(TIME),
            "closed_at": _nullable(TIME),
            "updated_at": TIME,
        }
    ),
    "Candidate": _object({"name": STRING, "email": _nullable(STRING), "phone": _nullable(STRING)}),
    "HistoryEntry": _object(
        {
            "id": INTEGER,
            "kind": {"enum": _values(EventKind)},
            "from_stage": _nullable({"enum": _values(Stage)}),
            "to_stage": _nullable({"enum": _values(Stage)}),
            "reason_code": _nullable(STRING),
            "actor_id": _nullable(INTEGER),
            "at": TIME,
        }
    ),
    "Referral": _object(
        {
            "id": INTEGER,
            "job_id": INTEGER,
            "referrer_id": INTEGER,
            "candidate_id": INTEGER,
            "source": {"enum": _values(ReferralSource)},
            "stage": {"enum": _values(Stage)},
            "stage_changed_at": TIME,
            "submitted_at": TIME,
            "review_due_at": _nullable(TIME),
            "start_date": _nullable(DAY),
            "left_company_on": _nullable(DAY),
            "bonus": {"$ref": "#/components/schemas/Money"},
            "candidate": {
                "$ref": "#/components/schemas/Candidate",
                "description": "Only with the candidates:read scope.",
            },
            "history": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/HistoryEntry"},
                "description": "Only on a single referral.",
            },
        },
        optional=("candidate", "history"),
    ),
    "Payout": _object(
        {
            "id": INTEGER,
            "referral_id": INTEGER,
            "referrer_id": INTEGER,
            "stage": {"enum": _values(Stage)},
            "share_percent": INTEGER,
            "amount": {"$ref": "#/components/schemas/Money"},
            "status": {"enum": _values(PayoutStatus)},
            "created_at": TIME,
            "due_on": _nullable(DAY),
            "approved_at": _nullable(TIME),
            "paid_on": _nullable(DAY),
            "cancelled_at": _nullable(TIME),
            "cancel_cause": _nullable({"enum": _values(CancelCause)}),
        }
    ),
    "Person": _object(
        {
            "id": INTEGER,
            "name": STRING,
            "department": _nullable({"$ref": "#/components/schemas/Department"}),
        }
    ),
    "StageMove": {
        **_object(
            {
                "to_stage": {"enum": _values(Stage)},
                "expected_from": {
                    "enum": _values(Stage),
                    "description": "The stage you last saw: if it moved meanwhile, 409.",
                },
                "reason_code": {
                    "type": "string",
                    "description": "Rejected or withdrawn: a reason code (or give `reason`).",
                },
                "reason": {"type": "string", "maxLength": 4000},
                "feedback": {
                    "type": "string",
                    "maxLength": 4000,
                    "description": "Shown to the referrer.",
                },
                "internal_note": {"type": "string", "maxLength": 4000, "description": "HR only."},
                "start_date": {**DAY, "description": "Hired: the first working day."},
            },
            optional=(
                "expected_from",
                "reason_code",
                "reason",
                "feedback",
                "internal_note",
                "start_date",
            ),
        ),
        "additionalProperties": False,
    },
    "Error": _object(
        {
            "error": _object(
                {
                    "status": INTEGER,
                    "code": STRING,
                    "message": STRING,
                    "fields": {
                        "type": "object",
                        "additionalProperties": STRING,
                        "description": "422: a message per field or parameter.",
                    },
                },
                optional=("fields",),
            )
        }
    ),
}


def page_of(name: str) -> Json:
    """The schema of a page of `name`s."""
    return _object(
        {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "next_cursor": {
                **_nullable(STRING),
                "description": "Pass as `cursor` for the next page; null on the last page.",
            },
        }
    )


def one(name: str) -> Json:
    return _object({"data": {"$ref": f"#/components/schemas/{name}"}})
