"""The invitations' clock, with time moved (never slept): one reminder at day 7 by the channel
the invitation came by, expiry at day 14, deletion with the contact at day 30 leaving only
counts; a worker that was down catches up in one tick; the text messages' retries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from community.core.time import to_local
from community.extensions import db
from community.invites import answers, services, sms, tokens
from community.invites.answers import LinkProblem
from community.invites.duties import keep_time
from community.invites.models import (
    Channel,
    Invitation,
    InvitationStatus,
    InvitationTally,
    TextMessage,
    TextMessageStatus,
)
from community.jobs.services import close_job
from community.mail.models import OutboundEmail
from community.referrals.models import Referral
from community.referrals.services.applications import Application
from community.worker import duties
from tests.factories import make_job
from tests.invites.conftest import Cast, invite, mails_to, texts_to, token_in
from tests.referrals.factories import pdf_upload

START = datetime(2027, 3, 1, 2, 0)  # 10:00 in Shanghai


def day(n: int, hours: int = 0) -> datetime:
    return START + timedelta(days=n, hours=hours)


def sent_at(moment: datetime, cast: Cast, contact: str, **kwargs: Any) -> Invitation:
    with time_machine.travel(moment, tick=False):
        return invite(cast, contact, **kwargs)


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_both_duties_are_registered() -> None:
    names = [duty.name for duty in duties.registered()]
    assert "invites.keep-time" in names and "invites.send-sms" in names


def test_one_reminder_at_day_seven_with_the_same_link(cast: Cast) -> None:
    invitation = sent_at(START, cast, "li.lei@example.org", locale="zh_CN")
    assert keep_time(day(6, 23)) == 0
    assert keep_time(day(7)) == 1
    assert keep_time(day(7, 1)) == 0 and keep_time(day(10)) == 0  # once
    first, reminder = mails_to("li.lei@example.org")
    assert reminder.kind == "invitation_reminder" and reminder.locale == "zh_CN"
    assert token_in(reminder.text_body) == token_in(first.text_body)
    db.session.refresh(invitation)
    assert invitation.reminded_at == day(7) and invitation.status == InvitationStatus.PENDING


def test_a_text_message_invitation_is_reminded_by_text(cast: Cast) -> None:
    sent_at(START, cast, "13800138000")
    assert sms.send_due(day(0, 1)) == 1
    assert keep_time(day(8)) == 1
    [reminder] = texts_to("+8613800138000")
    assert reminder.body.startswith("A reminder: Wei at Referral Community invited you")


def test_an_answered_or_withdrawn_invitation_is_not_reminded(cast: Cast) -> None:
    declined = sent_at(START, cast, "a@example.org")
    withdrawn = sent_at(START, cast, "b@example.org")
    opened = sent_at(START, cast, "c@example.org")
    with time_machine.travel(day(1), tick=False):
        answers.decline_invitation(tokens.token_for(declined))
        services.withdraw_invitation(cast.referrer, withdrawn.id)
        answers.mark_opened(opened)
    assert keep_time(day(7)) == 1  # only the one opened and not answered
    # (the answered and the withdrawn one's mails left the outbox with their contact)
    assert [len(mails_to(a)) for a in ("a@example.org", "b@example.org", "c@example.org")] == [
        0,
        0,
        2,
    ]


def test_an_invitation_expires_at_day_fourteen_and_its_link_says_so(cast: Cast) -> None:
    invitation = sent_at(START, cast, "li.lei@example.org")
    token = tokens.token_for(invitation)
    assert keep_time(day(13, 23)) == 1  # the reminder, long due
    assert keep_time(day(14)) == 1
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.EXPIRED
    assert keep_time(day(15)) == 0
    with time_machine.travel(day(15), tick=False):
        application = Application(name="Li Lei", consent=True, email="li.lei@example.org")
        with pytest.raises(LinkProblem) as late:
            answers.accept_invitation(token, application)
        assert late.value.code == "expired" and late.value.status == 410


def test_an_invitation_past_its_day_reads_expired_before_the_worker_comes(cast: Cast) -> None:
    invitation = sent_at(START, cast, "li.lei@example.org")
    assert invitation.status_at(day(14)) == InvitationStatus.EXPIRED
    with time_machine.travel(day(14, 1), tick=False):
        with pytest.raises(LinkProblem) as late:
            answers.accept_invitation(
                tokens.token_for(invitation),
                Application(name="Li Lei", consent=True, email="li.lei@example.org"),
            )
        assert late.value.code == "expired"


def test_a_late_worker_expires_without_reminding(cast: Cast) -> None:
    sent_at(START, cast, "li.lei@example.org")
    assert keep_time(day(20)) == 1  # expired; a reminder after the end would be noise
    assert len(mails_to("li.lei@example.org")) == 1


def test_after_thirty_days_only_counts_are_left(cast: Cast) -> None:
    accepted = sent_at(START, cast, "accepts@example.org")
    declined = sent_at(START, cast, "declines@example.org")
    sent_at(START, cast, "13800138000")  # never answered, its text never sent
    sent_at(START + timedelta(days=2), cast, "later@example.org")
    with time_machine.travel(day(1), tick=False):
        answers.accept_invitation(
            tokens.token_for(accepted),
            Application(
                name="Ann Accept", consent=True, email="accepts@example.org", resume=pdf_upload()
            ),
        )
        answers.decline_invitation(tokens.token_for(declined))
    assert keep_time(day(29, 23)) == 2  # two expiries (no reminder after them)
    assert keep_time(day(30)) == 2  # the declined one and the unanswered text
    remaining = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [i.id for i in remaining] == [accepted.id, remaining[1].id]
    assert remaining[1].contact == "later@example.org"
    assert count(TextMessage) == 0
    the_day = to_local(START).date()
    tallies = {
        (t.day, t.channel, t.outcome): t.count for t in db.session.scalars(select(InvitationTally))
    }
    assert tallies == {
        (the_day, Channel.EMAIL, InvitationStatus.DECLINED): 1,
        (the_day, Channel.SMS, InvitationStatus.EXPIRED): 1,
    }
    assert keep_time(day(32)) == 1  # the later one, two days on
    tallies_now = {
        (t.channel, t.outcome): t.count for t in db.session.scalars(select(InvitationTally))
    }
    assert tallies_now[(Channel.EMAIL, InvitationStatus.EXPIRED)] == 1
    assert count(Invitation) == 1 and count(Referral) == 1  # the accepted one stays
    db.session.refresh(accepted)
    assert accepted.contact is None and accepted.referral_id is not None


def test_a_worker_down_for_a_month_catches_up_in_one_tick(cast: Cast) -> None:
    sent_at(START, cast, "a@example.org")
    sent_at(START, cast, "b@example.org")
    assert keep_time(day(31)) == 4  # two expiries, two deletions, no reminder
    assert count(Invitation) == 0 and count(OutboundEmail) == 0  # nor their e-mails
    [tally] = db.session.scalars(select(InvitationTally)).all()
    assert (tally.outcome, tally.count) == (InvitationStatus.EXPIRED, 2)


def test_the_worker_tick_runs_the_duty_for_the_current_time(cast: Cast) -> None:
    sent_at(START, cast, "li.lei@example.org")
    with time_machine.travel(day(7), tick=False):
        done = duties.run_due()
    assert done["invites.keep-time"] == 1


class Failing:
    """A backend whose vendor is down."""

    def __init__(self, config: Any) -> None:
        pass

    def send(self, to: str, text: str) -> None:
        raise sms.SMSError("the gateway answered 503")


def test_a_text_message_that_fails_is_tried_again_later_then_given_up(
    app: Flask, cast: Cast, client, auth
) -> None:
    invitation = sent_at(START, cast, "13800138000")
    app.config["SMS_BACKEND"] = "tests.invites.test_duties:Failing"
    app.config["SMS_MAX_ATTEMPTS"] = 3
    try:
        assert sms.send_due(day(0, 1)) == 0
        [message] = texts_to("+8613800138000")
        assert message.attempts == 1 and "503" in message.last_error
        assert message.next_attempt_at == day(0, 1) + timedelta(minutes=1)
        assert sms.send_due(day(0, 1)) == 0 and message.attempts == 1  # not due yet
        sms.send_due(day(0, 2))
        sms.send_due(day(0, 3))
        db.session.refresh(message)
        assert message.status == TextMessageStatus.FAILED and message.attempts == 3
    finally:
        app.config["SMS_BACKEND"] = "community.invites.sms:OutboxSMS"
        app.config["SMS_MAX_ATTEMPTS"] = 5
    assert sms.send_due(day(1)) == 0  # failed for good: never sent
    with time_machine.travel(day(1), tick=False):
        auth.login(cast.referrer)
        page = client.get("/invites/").text
    assert "The text message could not be delivered." in page
    assert f'data-invitation="{invitation.id}"' in page


def test_closing_the_job_expires_its_open_invitations_and_no_reminder_follows(
    client, cast: Cast
) -> None:
    invitation = sent_at(START, cast, "li.lei@example.org")
    answered = sent_at(START, cast, "han.mei@example.org")
    answered.status = InvitationStatus.DECLINED
    other_job = make_job(cast.job.department, title="数据分析师", title_en="Data Analyst")
    elsewhere = sent_at(START, cast, "lin.tao@example.org", job=other_job)
    token = tokens.token_for(invitation)
    with time_machine.travel(day(2), tick=False):
        close_job(cast.hr, cast.job)
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.EXPIRED
    assert db.session.get(Invitation, answered.id).status == InvitationStatus.DECLINED
    assert db.session.get(Invitation, elsewhere.id).status == InvitationStatus.PENDING
    assert keep_time(day(8)) == 1  # the reminder of the invitation to the open job only
    assert [m.kind for m in mails_to("li.lei@example.org")] == ["invitation"]
    with time_machine.travel(day(3), tick=False):
        page = client.get(f"/i/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 410
    assert 'data-problem="closed"' in page.text and "This job is no longer open." in page.text
