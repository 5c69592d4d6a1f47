"""E-mail addresses: checking what someone typed, and the one identity every comparison uses.

Two spellings are the same person when their *identity* is equal (`email_identity`): the address
case-folded, with any plus-tag dropped from the local part (``ann+jobs@x`` is ``ann@x``), and
with the company's alias domains read as its main domain (config ``COMPANY_EMAIL_DOMAINS``,
e.g. ``"corp.com, corp-old.com"``: ``ann@corp-old.com`` is ``ann@corp.com``). Accounts (a taken
address, CSV imports), login, the login limit and referrals (self-referral, the candidate who is
an employee, duplicates and the ownership window) all compare through it.

What a person typed is stored as they typed it (checked, trimmed, lower-cased); next to it,
tables that compare addresses in SQL store `email_key` (the identity without the alias mapping,
so it never depends on configuration and a migration can compute it), and `matches_email`
finds an identity among those keys whatever alias domain each was stored with.

Login is stricter: an account's address is accepted in any letter case and at any alias domain
of the company, but a plus-tag is not dropped there (``ann+x@corp.com`` does not sign in as
``ann@corp.com``): see `email_identity(..., keep_tag=True)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlalchemy.orm import QueryableAttribute

from community.core.errors import DomainError

EMAIL_MAX = 254


class EmailError(DomainError):
    """Not an e-mail address (the message says so in the reader's language)."""


def normalise_email(raw: str | None) -> str | None:
    """The address trimmed, checked and lower-cased, plus-tag and domain as typed; None when
    blank. Raises EmailError (field "email") when it is not an address. This is what is stored
    and shown; compare addresses with `email_identity` / `matches_email`, never with this."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX:
        raise EmailError(_("Email is too long."), field="email")
    try:
        normalized = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise EmailError(
            _("“%(email)s” is not a valid email address.", email=text), field="email"
        ) from None
    return normalized.lower()


def _split(address: str) -> tuple[str, str]:
    """(local part, domain), case-folded; domain "" when there is no "@"."""
    text = (address or "").strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        return text, ""
    return local, domain


def _untagged(local: str) -> str:
    """The local part without its plus-tag ("ann+jobs" → "ann"); a part that is only a tag
    ("+jobs") is left as it is."""
    base = local.split("+", 1)[0]
    return base or local


def company_domains(setting: str | Iterable[str] | None = None) -> tuple[str, ...]:
    """The company's mail domains, main one first, from ``COMPANY_EMAIL_DOMAINS``: a
    comma-separated string (or a list) such as ``"corp.com, corp-old.com"``; () when unset."""
    if setting is None:
        setting = current_app.config.get("COMPANY_EMAIL_DOMAINS") if has_app_context() else None
    if not setting:
        return ()
    items = setting.split(",") if isinstance(setting, str) else list(setting)
    domains: list[str] = []
    for item in items:
        domain = str(item).strip().casefold().lstrip("@")
        if domain and domain not in domains:
            domains.append(domain)
    return tuple(domains)


def _domain_group(domain: str) -> tuple[str, ...]:
    """Every domain that is the same mailbox domain as `domain`, the canonical one first."""
    domains = company_domains()
    return domains if domain in domains else (domain,)


def email_identity(address: str | None, *, keep_tag: bool = False) -> str:
    """The comparable identity of an address: case-folded, plus-tag dropped from the local part
    (unless `keep_tag`, which login uses), the company's alias domains read as its main domain.

    It does not check the address; something that is not one is simply case-folded (and so
    equals no real address).
    """
    local, domain = _split(address or "")
    if not domain:
        return local
    if not keep_tag:
        local = _untagged(local)
    return f"{local}@{_domain_group(domain)[0]}"


def email_key(address: str | None) -> str | None:
    """What an `email_key` column stores for an address: its identity without the alias mapping
    (case-folded, plus-tag dropped, domain as given). Independent of configuration, so changing
    ``COMPANY_EMAIL_DOMAINS`` needs no re-keying. None for no address."""
    if not (address or "").strip():
        return None
    local, domain = _split(address or "")
    return f"{_untagged(local)}@{domain}" if domain else local


def email_key_of_inserted_row(context: Any) -> str | None:
    """Column default of `email_key`: the key of the row's `email`, for inserts that bypass the
    models' validators (bulk inserts of plain rows)."""
    return email_key(context.get_current_parameters().get("email"))


def identity_keys(address: str | None) -> tuple[str, ...]:
    """Every `email_key` that has the same identity as `address` (one per alias domain)."""
    local, domain = _split(address or "")
    if not local and not domain:
        return ()
    if not domain:
        return (local,)
    local = _untagged(local)
    return tuple(f"{local}@{d}" for d in _domain_group(domain))


def matches_email(column: QueryableAttribute[Any], address: str | None) -> ColumnElement[bool]:
    """SQL: the rows whose `email_key` column has the identity of `address`."""
    return column.in_(identity_keys(address))
