"""The demo's invitations: a pending one by e-mail (its mail in the outbox) and one accepted by
text message (the message in the SMS outbox, the referral marked as an invitation's)."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.invites import queries, sms
from community.invites.models import Channel, Invitation, InvitationStatus
from community.mail.models import OutboundEmail
from community.referrals.models import Referral, ReferralSource


def test_a_pending_and_an_accepted_invitation(seeded: str) -> None:
    pending, accepted = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert pending.status == InvitationStatus.PENDING and pending.channel == Channel.EMAIL
    assert pending.referrer.email == "employee@demo.example" and pending.note
    [mail] = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.id.in_(pending.email_ids))
    ).all()
    assert mail.to_address == pending.contact and mail.locale == "zh_CN"
    assert accepted.status == InvitationStatus.ACCEPTED and accepted.channel == Channel.SMS
    assert accepted.contact is None and accepted.contact_hint == "+86 ****5678"
    referral = db.session.get(Referral, accepted.referral_id)
    assert referral is not None and referral.source == ReferralSource.INVITE
    assert referral.referrer_id == accepted.referrer_id and referral.resume_file
    assert queries.pending_count() == 1


def test_the_text_message_is_in_the_sms_outbox(seeded: str) -> None:
    messages = sms.outbox_messages()
    assert any(number == "+8613912345678" and "/i/" in text for number, text in messages)
