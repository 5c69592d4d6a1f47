"""Sending an invitation, and every refusal writing nothing; accepting (a referral with source
"invite", one notification for the referrer), declining (perhaps for good: a salted hash, never
the contact), withdrawing; what the personal link's token lets through."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from community import events
from community.core.time import utcnow
from community.extensions import db
from community.invites import answers, services, sms, tokens
from community.invites.answers import LinkProblem
from community.invites.contacts import contact_hash, parse_contact
from community.invites.errors import InviteError
from community.invites.models import (
    Channel,
    Invitation,
    InvitationStatus,
    InviteSuppression,
    TextMessage,
)
from community.jobs.models import JobStatus
from community.mail.models import OutboundEmail
from community.notifications.models import Notification
from community.referrals.models import Referral, ReferralSource
from community.referrals.services.applications import Application
from tests.factories import make_job, make_user
from tests.invites.conftest import Cast, invite, mails_to, texts_to, token_in
from tests.referrals.factories import make_referral, pdf_upload
from tests.security.conftest import db_fingerprint


@pytest.fixture
def published() -> Iterator[list[Any]]:
    seen: list[Any] = []
    kinds = (
        events.InvitationSent,
        events.InvitationAccepted,
        events.InvitationDeclined,
        events.InvitationExpired,
    )

    def note(event: Any) -> None:
        seen.append(event)

    for kind in kinds:
        events.subscribe(kind, note)
    yield seen
    for kind in kinds:
        events.unsubscribe(kind, note)


def application(**overrides: Any) -> Application:
    values: dict[str, Any] = {
        "name": "Li Lei",
        "consent": True,
        "email": "li.lei@example.org",
        "resume": pdf_upload(),
    }
    values.update(overrides)
    return Application(**values)


def notices_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id)
        )
    )


# Sending --------------------------------------------------------------------------------------


def test_an_email_invitation_is_queued_in_the_persons_language(cast: Cast, published) -> None:
    invitation = invite(cast, " Li.Lei@Example.org ", note="We worked on the payments team.")
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.channel == Channel.EMAIL
    assert (
        invitation.contact == "li.lei@example.org" and invitation.contact_hint == "l***@example.org"
    )
    assert (invitation.expires_at - invitation.created_at).days == 14
    [mail] = mails_to("li.lei@example.org")
    assert mail.kind == "invitation" and mail.locale == "en" and mail.user_id is None
    assert mail.subject == "Wei invites you to apply for Backend Engineer at Referral Community"
    assert "We worked on the payments team." in mail.text_body and "Zhang" not in mail.text_body
    assert "priority screening" in mail.text_body
    assert answers.locate(token_in(mail.text_body))[1].id == invitation.id
    assert [type(e) for e in published] == [events.InvitationSent]
    assert published[0].channel == "email" and not hasattr(published[0], "contact")


def test_a_chinese_invitation_names_the_job_in_chinese(cast: Cast) -> None:
    invite(cast, "han.mei@example.org", locale="zh_CN")
    [mail] = mails_to("han.mei@example.org")
    assert mail.locale == "zh_CN" and "后端工程师" in mail.subject and "Backend" not in mail.subject
    assert 'lang="zh-CN"' in (mail.html_body or "")


def test_a_phone_number_gets_a_text_message_sent_by_the_worker(cast: Cast, sms_outbox) -> None:
    invitation = invite(cast, "138 0013 8000")
    assert invitation.channel == Channel.SMS and invitation.contact == "+8613800138000"
    assert invitation.contact_hint == "+86 ****8000"
    [queued] = texts_to("+8613800138000")
    assert "Wei at Referral Community invites you to apply for Backend Engineer" in queued.body
    assert mails_to("+8613800138000") == []
    assert sms.send_due(utcnow()) == 1
    [(number, text)] = sms.outbox_messages(sms_outbox)
    assert number == "+8613800138000"
    assert answers.locate(token_in(text))[1].id == invitation.id
    assert texts_to("+8613800138000") == []  # nothing of a sent message is kept


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "Please enter the person's e-mail address or mobile phone number."),
        ("li.lei@", "Please enter a valid e-mail address or mobile phone number."),
        ("12345", "Please enter a valid e-mail address or mobile phone number."),
        ("x" * 300, "Please enter a valid e-mail address or mobile phone number."),
        ("WEI+jobs@corp.example", "That is your own address: invite someone else."),
        ("Otto.Colleague@CORP.example", "This person already works here"),
    ],
)
def test_a_bad_or_forbidden_contact_is_refused_and_nothing_written(
    cast: Cast, contact: str, message: str
) -> None:
    make_user(email="otto.colleague@corp.example")
    before = db_fingerprint()
    with pytest.raises(InviteError) as refused:
        invite(cast, contact)
    assert refused.value.field == "contact" and refused.value.status == 422
    assert message in refused.value.message
    assert db_fingerprint() == before


def test_a_job_that_is_not_open_is_refused(cast: Cast) -> None:
    closed = make_job(cast.job.department, status=JobStatus.CLOSED)
    draft = make_job(cast.job.department, status=JobStatus.DRAFT)
    for job_id in (closed.id, draft.id):
        with pytest.raises(InviteError) as refused:
            services.send_invitation(cast.referrer, job_id, "li.lei@example.org", "en", "")
        assert refused.value.status == 409 and refused.value.field == "job_id"
    for job_id in (None, 987654):
        with pytest.raises(InviteError) as refused:
            services.send_invitation(cast.referrer, job_id, "li.lei@example.org", "en", "")
        assert refused.value.status == 422
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_a_note_too_long_and_an_unknown_language_are_refused(cast: Cast) -> None:
    with pytest.raises(InviteError) as refused:
        invite(cast, note="x" * 501)
    assert refused.value.field == "note"
    with pytest.raises(InviteError) as refused:
        invite(cast, locale="fr")
    assert refused.value.field == "locale"
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_an_open_invitation_to_the_same_person_and_job_is_not_sent_twice(cast: Cast) -> None:
    invite(cast, "li.lei@example.org")
    with pytest.raises(InviteError) as mine:
        invite(cast, "LI.LEI+again@example.org")  # the same person, spelled otherwise
    assert mine.value.status == 409 and "You have already invited" in mine.value.message
    with pytest.raises(InviteError) as someone_elses:
        invite(cast, "li.lei@example.org", referrer=cast.colleague)
    assert someone_elses.value.status == 409
    assert "already has an open invitation" in someone_elses.value.message
    assert cast.referrer.name not in someone_elses.value.message
    # Another job is another invitation.
    assert invite(cast, "li.lei@example.org", job=make_job(cast.job.department)).id


def test_a_referrer_sends_at_most_the_days_limit(app: Flask, cast: Cast) -> None:
    app.config["INVITATIONS_PER_DAY"] = 2
    try:
        invite(cast, "a@example.org")
        invite(cast, "b@example.org")
        with pytest.raises(InviteError) as refused:
            invite(cast, "c@example.org")
        assert refused.value.status == 429
        assert "2 invitations today" in refused.value.message
        assert invite(cast, "c@example.org", referrer=cast.colleague).id  # a limit per person
    finally:
        app.config["INVITATIONS_PER_DAY"] = 10
    assert mails_to("c@example.org")[0].to_address == "c@example.org"
    assert db.session.scalar(select(func.count(Invitation.id))) == 3


# Accepting ------------------------------------------------------------------------------------


def test_accepting_makes_a_referral_from_the_invitation_and_tells_the_referrer_once(
    cast: Cast, published
) -> None:
    invitation = invite(cast)
    token = tokens.token_for(invitation)
    referral = answers.accept_invitation(token, application())
    assert referral is not None
    assert referral.source == ReferralSource.INVITE and referral.referrer_id == cast.referrer.id
    assert referral.job_id == cast.job.id and referral.candidate.name == "Li Lei"
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.referral_id == referral.id and invitation.contact is None
    assert invitation.contact_hint == "l***@example.org"
    assert notices_of(cast.referrer.id) == ["referral_applied"]  # "… accepted your invitation"
    assert [type(e) for e in published][-1] is events.InvitationAccepted
    with pytest.raises(LinkProblem) as again:
        answers.accept_invitation(token, application())
    assert again.value.code == "answered" and again.value.status == 409
    assert db.session.scalar(select(func.count(Referral.id))) == 1


def test_an_application_refused_leaves_the_invitation_open(cast: Cast) -> None:
    invitation = invite(cast)
    token = tokens.token_for(invitation)
    before = db_fingerprint()
    with pytest.raises(Exception) as refused:
        answers.accept_invitation(token, application(consent=False))
    assert getattr(refused.value, "field", None) == "consent"
    assert db_fingerprint() == before
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.PENDING and invitation.contact


def test_a_person_someone_already_referred_is_thanked_and_nobody_learns_more(cast: Cast) -> None:
    make_referral(cast.colleague, cast.job, email="li.lei@example.org")
    invitation = invite(cast)
    notes_before = notices_of(cast.referrer.id)
    referrals = db.session.scalar(select(func.count(Referral.id)))
    assert answers.accept_invitation(tokens.token_for(invitation), application()) is None
    assert db.session.scalar(select(func.count(Referral.id))) == referrals
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.PENDING  # what the referrer reads: nothing new
    assert invitation.answered_at is not None  # but no reminder will follow
    assert notices_of(cast.referrer.id) == notes_before


# Declining ------------------------------------------------------------------------------------


def test_declining_clears_the_contact_and_tells_the_referrer(cast: Cast) -> None:
    invitation = invite(cast)
    answers.decline_invitation(tokens.token_for(invitation))
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.DECLINED and invitation.contact is None
    assert notices_of(cast.referrer.id) == ["invitation_declined"]
    assert db.session.scalar(select(func.count(InviteSuppression.id))) == 0
    # Declined: the person may still be invited to another job.
    assert invite(cast, job=make_job(cast.job.department)).id


def test_never_again_keeps_a_salted_hash_and_declines_every_open_invitation(cast: Cast) -> None:
    other_job = make_job(cast.job.department)
    first = invite(cast, "Li.Lei@example.org")
    second = invite(cast, "li.lei@example.org", referrer=cast.colleague, job=other_job)
    sms_one = invite(cast, "+86 138 0013 8000", job=other_job)
    answers.decline_invitation(tokens.token_for(first), never_again=True)
    [suppressed] = db.session.scalars(select(InviteSuppression)).all()
    assert suppressed.contact_hash == contact_hash("li.lei@example.org")
    assert "li.lei" not in suppressed.contact_hash
    for invitation in (first, second):
        db.session.refresh(invitation)
        assert invitation.status == InvitationStatus.DECLINED and invitation.contact is None
    db.session.refresh(sms_one)
    assert sms_one.status == InvitationStatus.PENDING  # another contact, another person
    assert notices_of(cast.colleague.id) == ["invitation_declined"]
    third_job = make_job(cast.job.department)
    for spelling, who in (("LI.LEI+x@example.org", cast.referrer), ("li.lei@example.org", cast.hr)):
        before = db_fingerprint()
        with pytest.raises(InviteError) as refused:
            invite(cast, spelling, referrer=who, job=third_job)
        assert refused.value.message == "This person asked not to be invited."
        assert refused.value.status == 409
        assert db_fingerprint() == before


def test_the_hash_is_salted(app: Flask) -> None:
    import hashlib

    plain = hashlib.sha256(b"li.lei@example.org").hexdigest()
    derived = parse_contact("li.lei@example.org").hashed
    assert derived == contact_hash("li.lei@example.org") != plain
    app.config["INVITATION_SUPPRESSION_SALT"] = "another salt"
    try:
        assert contact_hash("li.lei@example.org") not in (derived, plain)
    finally:
        app.config["INVITATION_SUPPRESSION_SALT"] = ""


def test_an_expired_or_declined_invitation_can_still_become_never_again(cast: Cast) -> None:
    invitation = invite(cast)
    answers.decline_invitation(tokens.token_for(invitation))
    with pytest.raises(LinkProblem) as twice:
        answers.decline_invitation(tokens.token_for(invitation))
    assert twice.value.code == "answered"
    answers.decline_invitation(tokens.token_for(invitation), never_again=True)
    assert db.session.scalar(select(func.count(InviteSuppression.id))) == 1
    assert notices_of(cast.referrer.id) == ["invitation_declined"]  # told once


# Withdrawing and the token --------------------------------------------------------------------


def test_only_the_referrer_withdraws_and_the_link_stops_working(cast: Cast) -> None:
    invitation = invite(cast, "138 0013 8000")
    for who in (cast.colleague, cast.hr):
        with pytest.raises(InviteError) as refused:
            services.withdraw_invitation(who, invitation.id)
        assert refused.value.status == 404
    services.withdraw_invitation(cast.referrer, invitation.id)
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.WITHDRAWN and invitation.contact is None
    assert db.session.scalar(select(func.count(TextMessage.id))) == 0  # not sent after all
    with pytest.raises(LinkProblem) as gone:
        answers.locate(tokens.token_for(invitation))
    assert gone.value.status == 410 and gone.value.code == "gone"
    with pytest.raises(InviteError) as again:
        services.withdraw_invitation(cast.referrer, invitation.id)
    assert again.value.status == 409


def test_a_forged_or_altered_token_opens_nothing(cast: Cast) -> None:
    invitation = invite(cast)
    token = tokens.token_for(invitation)
    for forged in ("nonsense", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), ""):
        with pytest.raises(LinkProblem) as refused:
            answers.locate(forged)
        assert refused.value.code == "forged" and refused.value.status == 404
    invitation.key = tokens.new_key()  # a genuine token whose key is no longer the invitation's
    db.session.commit()
    with pytest.raises(LinkProblem) as refused:
        answers.locate(token)
    assert refused.value.code == "gone"


def test_the_outbox_holds_no_mail_for_a_refused_invitation(cast: Cast) -> None:
    make_user(email="otto.colleague@corp.example")
    with pytest.raises(InviteError):
        invite(cast, "otto.colleague@corp.example")
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == 0
