"""What a referrer types as the person to invite: an e-mail address or a phone number, read with
the house's normalisers (`core.emails`, `referrals.services.normalise_phone`), its identity, the
salted hash that keys "already invited" and the suppression list, and the masked hint the
referrer keeps seeing once the contact itself is gone."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from flask import current_app
from flask_babel import gettext as _

from community.core.emails import EmailError, email_identity, normalise_email
from community.invites.errors import InviteError
from community.invites.models import Channel
from community.referrals.errors import ReferralError
from community.referrals.services import normalise_phone

CONTACT_MAX = 254


@dataclass(frozen=True)
class Contact:
    """A contact as stored (`value`), how it is compared (`identity`) and reached (`channel`)."""

    channel: Channel
    value: str
    identity: str

    @property
    def hashed(self) -> str:
        return contact_hash(self.identity)

    @property
    def hint(self) -> str:
        return mask(self.channel, self.value)


def _refused() -> InviteError:
    return InviteError(
        _("Please enter a valid e-mail address or mobile phone number."), field="contact"
    )


def parse_contact(raw: str | None) -> Contact:
    """The contact in `raw`: an address when it has an "@", else a phone number (mainland
    China's when it has no "+country"). Raises InviteError (field "contact") otherwise."""
    text = (raw or "").strip()
    if not text:
        raise InviteError(
            _("Please enter the person's e-mail address or mobile phone number."), field="contact"
        )
    if len(text) > CONTACT_MAX:
        raise _refused()
    if "@" in text:
        try:
            address = normalise_email(text)
        except EmailError:
            raise _refused() from None
        assert address is not None
        return Contact(Channel.EMAIL, address, email_identity(address))
    try:
        number = normalise_phone(text)
    except ReferralError:
        raise _refused() from None
    assert number is not None
    return Contact(Channel.SMS, number, number)


def identity_of(channel: Channel, value: str) -> str:
    """The identity of a stored contact (as `parse_contact` computes it)."""
    return email_identity(value) if channel == Channel.EMAIL else value


def _salt() -> bytes:
    configured = str(current_app.config.get("INVITATION_SUPPRESSION_SALT") or "")
    if configured:
        return configured.encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"invites.suppression", hashlib.sha256).digest()


def contact_hash(identity: str) -> str:
    """The salted hash (HMAC-SHA256) of a contact's identity: the same person gives the same
    hash, and the hash gives back nobody without the salt."""
    return hmac.new(_salt(), identity.encode(), hashlib.sha256).hexdigest()


def mask(channel: Channel, value: str) -> str:
    """ "l***@example.com", or "+86 ****5678": enough for the referrer to recognise."""
    if channel == Channel.EMAIL:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    try:
        number = phonenumbers.parse(value, None)
        return f"+{number.country_code} ****{str(number.national_number)[-4:]}"
    except phonenumbers.NumberParseException:
        return "****" + value[-4:]
