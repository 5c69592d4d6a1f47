"""An ATS's signed event moves a referral: verify, de-duplicate, map, move.

The request (`POST /webhooks/ats/<source>`) is checked in this order, and each refusal answers a
4xx JSON `{"error": code, "message": …}` with nothing written: an unknown or switched-off source
(404 `unknown_source`); missing Standard Webhooks headers (400 `missing_headers`); a timestamp
more than five minutes from our clock (400 `stale_timestamp`, `standardwebhooks`' tolerance); no
active secret's signature (401 `bad_signature`); a body that is not a JSON object (400
`bad_json`); an event id seen before (200 `already_processed`, nothing more written); no
application id or stage (422 `bad_payload`); a stage the mapping does not name (422
`unknown_stage`); an application no link names and no `metadata.referral_id` (422
`unknown_application`); a move `referrals.services` refuses (its status and message).

The body: `{"type": "...", "data": {"application_id": "...", "stage": "...", "reason": "...",
"start_date": "YYYY-MM-DD", "metadata": {"referral_id": 42}}}` (docs/ats-sync.md).

A stage behind or at the referral's own, or any stage once it is closed, is recorded
(`ReceivedEvent`, outcome "ignored") and never moves it back. A stage ahead moves it one allowed
step at a time (`pipeline.next_stages`: straight when allowed, e.g. submitted → interviewing),
each through `advance_stage`, so points, payouts and notifications follow as for HR's own moves.
The `ReceivedEvent` row is flushed first: a repeat of the same id arriving at once waits on its
unique key and then answers "already processed". It commits with the first step; a later step
refused (rare: the path is checked first) leaves the steps before it done and is logged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from community.core.errors import NOT_FOUND
from community.core.params import parse_int
from community.core.roles import Role
from community.core.time import local_today, utcnow
from community.extensions import db
from community.pipeline import Stage, next_stages, position, reasons
from community.referrals.errors import ReferralError
from community.referrals.models import Referral
from community.referrals.services import advance_stage
from community.referrals.services.moves import start_date_bounds
from community.webhooks import crypto
from community.webhooks.errors import WebhookError
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Outcome,
    ReceivedEvent,
    SourceSecret,
    StageMapping,
)

logger = logging.getLogger(__name__)

UNAUTHORIZED = 401
BAD_REQUEST = 400


@dataclass(frozen=True)
class IntegrationActor:
    """The source's account as `advance_stage` sees it: an HR actor. The account itself is
    deactivated (it never signs in and is never counted among HR), so it is presented here with
    the id the history records."""

    id: int
    role: Role = Role.HR
    is_authenticated: bool = True


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _refuse(status: int, code: str, message: str) -> WebhookError:
    return WebhookError(message, status=status, code=code)


def _source(slug: str) -> AtsSource:
    source = db.session.scalars(select(AtsSource).where(AtsSource.slug == slug)).first()
    if source is None or not source.enabled:
        raise _refuse(NOT_FOUND, "unknown_source", _("There is no such webhook source."))
    return source


def verify(source: AtsSource, body: bytes, headers: dict[str, str]) -> None:
    """Check the Standard Webhooks headers against every active secret of `source`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if not all(lowered.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature")):
        raise _refuse(
            BAD_REQUEST,
            "missing_headers",
            _("The webhook-id, webhook-timestamp and webhook-signature headers are required."),
        )
    now = utcnow()
    stored = db.session.scalars(
        select(SourceSecret).where(SourceSecret.source_id == source.id).order_by(SourceSecret.id)
    ).all()
    for row in stored:
        secret = crypto.decrypt(row.encrypted) if row.active(now) else None
        if secret is None:
            continue
        try:
            Webhook(secret).verify(body, lowered, json_parse=False)
        except WebhookVerificationError as exc:
            if "timestamp" in str(exc) or "Headers" in str(exc):
                raise _refuse(
                    BAD_REQUEST,
                    "stale_timestamp",
                    _("The webhook-timestamp is more than five minutes from our clock."),
                ) from exc
            continue
        return
    raise _refuse(UNAUTHORIZED, "bad_signature", _("The signature does not match."))


def _payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(BAD_REQUEST, "bad_json", _("The body is not valid JSON.")) from exc
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise _refuse(BAD_REQUEST, "bad_json", _("The body must be a JSON object with “data”."))
    return data


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        raise _refuse(
            422,
            "bad_payload",
            _("“data.%(key)s” is missing or not a short text.", key=key),
        )
    return value.strip()


def _mapping(source: AtsSource, stage: str, reason: str | None) -> StageMapping:
    rules = {m.ats_stage.lower(): m for m in source.mappings}
    found = (reason and rules.get(f"{stage}/{reason}".lower())) or rules.get(stage.lower())
    if found is None:
        raise _refuse(
            422,
            "unknown_stage",
            _("The stage “%(stage)s” is not in this source's mapping.", stage=stage),
        )
    return found


def _referral(
    source: AtsSource, application_id: str, data: dict[str, Any]
) -> tuple[Referral, bool]:
    """The referral and whether its link is new (made from `metadata.referral_id`)."""
    link = db.session.scalars(
        select(ApplicationLink).where(
            ApplicationLink.source_id == source.id,
            ApplicationLink.application_id == application_id,
        )
    ).first()
    if link is not None:
        return db.session.get_one(Referral, link.referral_id), False
    metadata = data.get("metadata")
    raw = metadata.get("referral_id") if isinstance(metadata, dict) else None
    # a JSON number or a string of digits; past what an id column holds it names no referral
    referral_id = (
        parse_int(str(raw)) if isinstance(raw, int | str) and not isinstance(raw, bool) else None
    )
    referral = db.session.get(Referral, referral_id) if referral_id else None
    linked_elsewhere = referral is not None and db.session.scalar(
        select(ApplicationLink.id).where(
            ApplicationLink.source_id == source.id, ApplicationLink.referral_id == referral.id
        )
    )
    if referral is None or linked_elsewhere:
        raise _refuse(
            422,
            "unknown_application",
            _("No referral is linked to the application “%(id)s”.", id=application_id),
        )
    return referral, True


def path(current: Stage, target: Stage) -> list[Stage]:
    """The moves from `current` to `target`: none when `target` is behind or at `current`, or
    `current` is closed; one for rejected or withdrawn (none once hired); else the allowed steps
    forward, straight where `next_stages` allows it."""
    if current.is_terminal:
        return []
    if target in (Stage.REJECTED, Stage.WITHDRAWN):
        return [] if current.is_hired else [target]
    steps: list[Stage] = []
    while position(current) < position(target):
        # The furthest step allowed that does not pass the target (straight when allowed).
        current = max(
            (s for s in next_stages(current) if position(s) <= position(target)), key=position
        )
        steps.append(current)
    return steps


def _start_date(data: dict[str, Any]) -> date:
    raw = data.get("start_date")
    if raw is None:
        return local_today()
    try:
        start = date.fromisoformat(str(raw))
    except ValueError as exc:
        raise _refuse(
            422, "bad_payload", _("“data.start_date” is not a date (YYYY-MM-DD).")
        ) from exc
    earliest, latest = start_date_bounds()
    if not earliest <= start <= latest:
        raise _refuse(422, "bad_payload", _("“data.start_date” must lie within a year of today."))
    return start


def receive(slug: str, body: bytes, headers: dict[str, str]) -> Answer:
    """Apply one inbound request (see the module). Raises WebhookError for every refusal."""
    source = _source(slug)
    verify(source, body, headers)
    data = _payload(body)
    event_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
    if len(event_id) > 120:  # (the signature covers it; a longer id would not fit its column)
        raise _refuse(
            BAD_REQUEST, "bad_payload", _("The webhook-id is longer than 120 characters.")
        )
    seen = select(ReceivedEvent.id).where(
        ReceivedEvent.source_id == source.id, ReceivedEvent.event_id == event_id
    )
    if db.session.scalar(seen) is not None:
        return Answer(200, {"status": "already_processed", "id": event_id})
    application_id, ats_stage = _text(data, "application_id"), _text(data, "stage")
    reason = data.get("reason") if isinstance(data.get("reason"), str) else None
    rule = _mapping(source, ats_stage, reason)
    referral, new_link = _referral(source, application_id, data)
    steps = path(referral.stage, rule.stage)
    start_date = _start_date(data) if Stage.HIRED in steps else None
    db.session.add(
        ReceivedEvent(
            source_id=source.id,
            event_id=event_id,
            application_id=application_id,
            ats_stage=ats_stage,
            referral_id=referral.id,
            from_stage=referral.stage,
            to_stage=rule.stage,
            outcome=Outcome.MOVED if steps else Outcome.IGNORED,
        )
    )
    if new_link:
        db.session.add(
            ApplicationLink(
                source_id=source.id, application_id=application_id, referral_id=referral.id
            )
        )
    try:
        db.session.flush()
    except IntegrityError:  # the same id arrived at once and was applied first
        db.session.rollback()
        return Answer(200, {"status": "already_processed", "id": event_id})
    if not steps:
        db.session.commit()
        logger.info("webhooks: %s event %s ignored (%s)", slug, event_id, rule.stage)
        return Answer(200, {"status": "ignored", "stage": referral.stage.value})
    _move(source, referral, steps, rule, reason or ats_stage, start_date, event_id)
    return Answer(200, {"status": "moved", "stage": referral.stage.value})


def _move(
    source: AtsSource,
    referral: Referral,
    steps: list[Stage],
    rule: StageMapping,
    their_words: str,
    start_date: date | None,
    event_id: str,
) -> None:
    actor = IntegrationActor(source.actor_id)
    note = _("Moved by %(source)s (event %(id)s).", source=source.name, id=event_id)
    for number, step in enumerate(steps):
        closing = step in (Stage.REJECTED, Stage.WITHDRAWN)
        code = rule.reason_code if closing else None
        try:
            advance_stage(
                referral,
                step,
                actor,  # type: ignore[arg-type]
                internal_note=note[:4000],
                reason_code=code,
                reason=f"{source.name}: {their_words}"[:4000] if code == reasons.OTHER else None,
                start_date=start_date if step == Stage.HIRED else None,
                expected_from=referral.stage,
            )
        except ReferralError as refusal:
            if number == 0:  # nothing was committed: the event stays unseen
                raise _refuse(
                    refusal.status, refusal.code or "refused", refusal.message
                ) from refusal
            logger.warning("webhooks: event %s stopped at %s: %s", event_id, step, refusal.message)
            return
