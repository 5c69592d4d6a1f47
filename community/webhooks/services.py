"""HR's writes: ATS sources (their account, secrets, stage mapping, application links) and
outbound endpoints. Every function checks, writes and commits, or refuses with a WebhookError
naming the field and writes nothing. Inbound events are `webhooks.inbound`, sending
`webhooks.sending`."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.core.errors import CONFLICT, NOT_FOUND
from community.core.roles import Role
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage, reasons
from community.referrals.models import Referral
from community.webhooks import crypto
from community.webhooks.errors import WebhookError
from community.webhooks.models import (
    ApplicationLink,
    AtsSource,
    Endpoint,
    EventType,
    SourceSecret,
    StageMapping,
)
from community.webhooks.presets import PRESETS
from community.webhooks.safety import check_url

logger = logging.getLogger(__name__)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MAX_NAME = 80
MAX_STAGE = 80
MAX_APPLICATION_ID = 80
MAX_SECRET_DAYS = 3650


@dataclass(frozen=True)
class Rule:
    """One line of a mapping: their stage (as written), our stage, the reason code."""

    ats_stage: str
    stage: Stage
    reason_code: str | None = None


def _name(raw: str | None) -> str:
    name = (raw or "").strip()
    if not name:
        raise WebhookError(_("Please enter a name."), field="name")
    if len(name) > MAX_NAME:
        raise WebhookError(_("The name is too long."), field="name")
    return name


def parse_mapping(text: str) -> list[Rule]:
    """The rules of a mapping's text: one `their stage -> our stage[: reason code]` a line
    (blank lines and lines starting with # skipped). A WebhookError (field "mapping") names the
    first bad line."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        theirs, arrow, ours = line.partition("->")
        theirs, ours = theirs.strip(), ours.strip()
        stage_text, _colon, code = ours.partition(":")
        stage_text, code = stage_text.strip().lower(), code.strip().lower() or None
        try:
            stage = Stage(stage_text)
        except ValueError:
            stage = None
        if not arrow or not theirs or len(theirs) > MAX_STAGE or stage is None:
            raise WebhookError(
                _(
                    "Line %(number)s: write “their stage -> our stage”, our stage one of %(stages)s.",
                    number=number,
                    stages=", ".join(s.value for s in Stage),
                ),
                field="mapping",
            )
        if stage in (Stage.REJECTED, Stage.WITHDRAWN):
            if code not in reasons.codes_for(stage):
                raise WebhookError(
                    _(
                        "Line %(number)s: %(stage)s needs a reason code after a colon, one of %(codes)s.",
                        number=number,
                        stage=stage.value,
                        codes=", ".join(reasons.codes_for(stage)),
                    ),
                    field="mapping",
                )
        elif code:
            raise WebhookError(
                _(
                    "Line %(number)s: only rejected and withdrawn take a reason code.",
                    number=number,
                ),
                field="mapping",
            )
        if theirs.lower() in seen:
            raise WebhookError(
                _("Line %(number)s: “%(stage)s” is mapped twice.", number=number, stage=theirs),
                field="mapping",
            )
        seen.add(theirs.lower())
        rules.append(Rule(theirs, stage, code))
    if not rules:
        raise WebhookError(_("Please map at least one stage."), field="mapping")
    return rules


def mapping_text(source: AtsSource) -> str:
    """A source's mapping as HR edits it."""
    return "".join(
        f"{m.ats_stage} -> {m.stage.value}{': ' + m.reason_code if m.reason_code else ''}\n"
        for m in source.mappings
    )


def _set_mapping(source: AtsSource, rules: list[Rule]) -> None:
    source.mappings.clear()
    db.session.flush()  # the old rows go before the new ones take their (source, stage) keys
    source.mappings.extend(
        StageMapping(ats_stage=r.ats_stage, stage=r.stage, reason_code=r.reason_code) for r in rules
    )


def _add_secret(
    source: AtsSource, actor: User, now: datetime, expires_at: datetime | None = None
) -> str:
    secret = crypto.new_secret()
    db.session.add(
        SourceSecret(
            source_id=source.id,
            encrypted=crypto.encrypt(secret),
            hint=crypto.hint(secret),
            created_at=now,
            expires_at=expires_at,
            created_by_id=actor.id,
        )
    )
    return secret


def create_source(actor: User, name: str, slug: str, preset: str) -> tuple[AtsSource, str]:
    """Add an ATS source with its first signing secret (returned, shown to HR once) and the
    mapping of `preset` ("greenhouse", "lever"). Its moves are recorded under a new account,
    "<name> (ATS)": deactivated, so it never signs in and is never counted among HR, and without
    a password."""
    name = _name(name)
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise WebhookError(
            _("The short name takes 2 to 40 lower-case letters, digits and dashes."), field="slug"
        )
    if preset not in PRESETS:
        raise WebhookError(_("Please choose one of the examples."), field="preset")
    if db.session.scalar(select(AtsSource.id).where(AtsSource.slug == slug)) is not None:
        raise WebhookError(_("Another source already has this short name."), field="slug")
    now = utcnow()
    account = User(
        email=f"ats-{slug}@webhooks.invalid",
        name=f"{name} (ATS)"[:120],
        role=Role.HR,
        is_active_account=False,
        deactivated_at=now,
    )
    db.session.add(account)
    db.session.flush()
    source = AtsSource(slug=slug, name=name, actor_id=account.id, created_by_id=actor.id)
    db.session.add(source)
    db.session.flush()
    _set_mapping(source, parse_mapping(PRESETS[preset]))
    secret = _add_secret(source, actor, now)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent source took the short name
        db.session.rollback()
        raise WebhookError(_("Another source already has this short name."), field="slug") from exc
    logger.info("webhooks: source %s (%s) added by user %s", source.id, slug, actor.id)
    return source, secret


def save_mapping(actor: User, source: AtsSource, text: str) -> None:
    """Replace a source's stage mapping with the rules of `text` (see `parse_mapping`)."""
    rules = parse_mapping(text)
    _set_mapping(source, rules)
    db.session.commit()
    logger.info("webhooks: source %s mapping saved by user %s", source.id, actor.id)


def switch_source(actor: User, source: AtsSource, on: bool) -> None:
    """Turn a source on or off (off: its requests answer 404 and write nothing)."""
    source.enabled = on
    db.session.commit()
    logger.info("webhooks: source %s switched %s by user %s", source.id, on, actor.id)


def add_source_secret(actor: User, source: AtsSource, days: int | None = None) -> str:
    """A new signing secret for `source`, active beside the others until retired (or `days`
    from now): returned once, stored encrypted. HR gives it to the ATS, then retires the old."""
    expires_at = None
    if days is not None:
        if not 1 <= days <= MAX_SECRET_DAYS:
            raise WebhookError(
                ngettext(
                    "A secret lasts from 1 to %(num)s day.",
                    "A secret lasts from 1 to %(num)s days.",
                    MAX_SECRET_DAYS,
                ),
                field="days",
            )
        expires_at = utcnow() + timedelta(days=days)
    secret = _add_secret(source, actor, utcnow(), expires_at)
    db.session.commit()
    logger.info("webhooks: source %s got a new secret from user %s", source.id, actor.id)
    return secret


def retire_source_secret(actor: User, source: AtsSource, secret_id: int) -> None:
    """Retire one of a source's secrets: signatures made with it no longer verify."""
    secret = db.session.get(SourceSecret, secret_id)
    if secret is None or secret.source_id != source.id:
        raise WebhookError(_("This secret does not exist."), status=NOT_FOUND)
    if secret.retired_at is None:
        secret.retired_at = utcnow()
        db.session.commit()
    logger.info("webhooks: source %s secret %s retired by user %s", source.id, secret_id, actor.id)


def link_application(
    actor: User, source: AtsSource, application_id: str, referral_id: int | None
) -> ApplicationLink:
    """Link the ATS's application id to one of our referrals, so its events move it."""
    application_id = (application_id or "").strip()
    if not application_id or len(application_id) > MAX_APPLICATION_ID:
        raise WebhookError(
            _("Please enter the ATS's application id (up to 80 characters)."),
            field="application_id",
        )
    referral = db.session.get(Referral, referral_id) if referral_id else None
    if referral is None:
        raise WebhookError(_("There is no referral with this number."), field="referral_id")
    taken = db.session.scalars(
        select(ApplicationLink).where(
            ApplicationLink.source_id == source.id,
            (ApplicationLink.application_id == application_id)
            | (ApplicationLink.referral_id == referral.id),
        )
    ).first()
    if taken is not None:
        raise WebhookError(
            _("This application or this referral is already linked."),
            field="application_id",
            status=CONFLICT,
        )
    link = ApplicationLink(
        source_id=source.id,
        application_id=application_id,
        referral_id=referral.id,
        created_by_id=actor.id,
    )
    db.session.add(link)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise WebhookError(
            _("This application or this referral is already linked."),
            field="application_id",
            status=CONFLICT,
        ) from exc
    return link


# Outbound endpoints --------------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointFields:
    name: str
    url: str
    events: tuple[str, ...]
    include_contact: bool = False
    enabled: bool = True


def _checked(fields: EndpointFields) -> tuple[str, str, list[str]]:
    name = _name(fields.name)
    url = check_url(fields.url)
    events = [e.value for e in EventType if e.value in fields.events]  # in the list's order
    if not events or len(events) != len(set(fields.events)):
        raise WebhookError(_("Please choose at least one event."), field="events")
    return name, url, events


def add_endpoint(actor: User, fields: EndpointFields) -> tuple[Endpoint, str]:
    """Register an endpoint for the chosen events, with a new signing secret (returned, shown
    once). Its address must be public (`webhooks.safety`)."""
    name, url, events = _checked(fields)
    secret = crypto.new_secret()
    endpoint = Endpoint(
        name=name,
        url=url,
        events=events,
        encrypted_secret=crypto.encrypt(secret),
        hint=crypto.hint(secret),
        include_contact=fields.include_contact,
        enabled=fields.enabled,
        created_by_id=actor.id,
    )
    db.session.add(endpoint)
    db.session.commit()
    logger.info("webhooks: endpoint %s added by user %s", endpoint.id, actor.id)
    return endpoint, secret


def update_endpoint(actor: User, endpoint: Endpoint, fields: EndpointFields) -> None:
    """Change an endpoint's name, address, events, contact choice or switch."""
    endpoint.name, endpoint.url, endpoint.events = _checked(fields)
    endpoint.include_contact = fields.include_contact
    endpoint.enabled = fields.enabled
    db.session.commit()
    logger.info("webhooks: endpoint %s saved by user %s", endpoint.id, actor.id)


def new_endpoint_secret(actor: User, endpoint: Endpoint) -> str:
    """Replace an endpoint's signing secret (returned, shown once); the next try signs with it."""
    secret = crypto.new_secret()
    endpoint.encrypted_secret, endpoint.hint = crypto.encrypt(secret), crypto.hint(secret)
    db.session.commit()
    logger.info("webhooks: endpoint %s got a new secret from user %s", endpoint.id, actor.id)
    return secret
