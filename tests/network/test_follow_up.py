"""The follow-up coach: when HR moves a referral, the referrer's "moved to …" notification gets a
line leading to a message for the candidate — interview tips from the job's interview focus when
they go forward, a kind note with the reason when they do not. Only the referrer reads it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import shown
from community.pipeline import Stage
from community.pipeline.reasons import RejectReason, WithdrawReason
from community.referrals.services import advance_stage, withdraw_referral
from tests.factories import make_job
from tests.network.conftest import Cast
from tests.pipeline import advance
from tests.referrals.factories import make_referral
from tests.security.conftest import same_response


@pytest.fixture
def referral(cast: Cast):
    return make_referral(cast.ann, cast.job, candidate_name="Wang Wei")


def stage_notes(user) -> list[Notification]:
    return db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "referral_stage")
        .order_by(Notification.id)
    ).all()


def test_a_forward_move_brings_a_line_to_interview_tips(client, auth, cast, referral) -> None:
    advance(referral, Stage.INTERVIEWING, cast.hr)
    note = stage_notes(cast.ann)[-1]
    lines = shown(note).lines
    follow = [line for line in lines if line.link == f"/network/follow-up/{referral.id}"]
    assert [line.text for line in follow] == [
        "The follow-up coach has a message with tips for your candidate."
    ]
    auth.login(cast.ann)
    page = client.get(f"/network/follow-up/{referral.id}?lang=en").get_data(as_text=True)
    assert "Hi Wang," in page
    assert "Good news: you&#39;re invited to interview for Payments backend engineer!" in page
    assert "The interviews focus on: System design on a real payments case." in page
    assert "prepare a concrete example for each point" in page
    zh = client.get(f"/network/follow-up/{referral.id}?lang=zh").get_data(as_text=True)
    assert "面试会重点考察：系统设计：一个真实的支付案例。" in zh


def test_without_an_interview_focus_the_tips_follow_the_competencies(client, auth, cast) -> None:
    job = make_job(
        competencies=["System design", "Ownership"], interview_focus="", interview_focus_en=""
    )
    referral = make_referral(cast.ann, job, candidate_name="Li Na")
    advance(referral, Stage.INTERVIEWING, cast.hr)
    auth.login(cast.ann)
    page = client.get(f"/network/follow-up/{referral.id}?lang=en").get_data(as_text=True)
    assert "The interviews focus on: System design, Ownership." in page
    assert "HR named no interview focus for this job" in page


@pytest.mark.parametrize(
    ("code", "kind_words"),
    [
        (RejectReason.SKILLS, "a different mix of skills and experience"),
        (RejectReason.CLOSER_FIT, "slightly closer fit"),
        (RejectReason.DUPLICATE, None),  # about the referral, not the candidate: not passed on
    ],
)
def test_a_rejection_brings_a_kind_note_with_the_reason(
    client, auth, cast, referral, code, kind_words
):
    advance_stage(
        referral,
        Stage.REJECTED,
        cast.hr,
        reason_code=code,
        reason="HR's own words for the referrer",
        internal_note="INTERNAL: do not show",
        expected_from=Stage.SUBMITTED,
    )
    lines = [line.text for line in shown(stage_notes(cast.ann)[-1]).lines]
    note_line = "The follow-up coach has a kind note you can send your candidate."
    assert (note_line in lines) is (kind_words is not None)
    auth.login(cast.ann)
    page = client.get(f"/network/follow-up/{referral.id}?lang=en").get_data(as_text=True)
    assert "Thank you for your interest in Payments backend engineer" in page
    assert "When a role fits you better, I&#39;ll let you know." in page
    if kind_words:
        assert kind_words in page
    else:
        assert "cannot count" not in page
        assert 'data-testid="voided"' in page
    assert "INTERNAL" not in page
    assert 'data-testid="hr-words"' in page  # HR's words show to the referrer, beside the draft
    message = page[page.index('data-testid="follow-up-message"') :]
    message = message[: message.index("</textarea>")]
    assert "HR&#39;s own words" not in message


def test_the_referrers_own_withdrawal_brings_no_line(cast, referral) -> None:
    withdraw_referral(referral, cast.ann, None, reason_code=WithdrawReason.MISTAKE)
    assert stage_notes(cast.ann) == []


@pytest.mark.parametrize("who", ["bob", "cat", "hr"])
def test_only_the_referrer_reads_the_follow_up(client, auth, cast, referral, who) -> None:
    advance(referral, Stage.INTERVIEWING, cast.hr)
    auth.login(cast.user(who))
    theirs = client.get(f"/network/follow-up/{referral.id}")
    missing = client.get("/network/follow-up/987654")
    assert theirs.status_code == missing.status_code == 404
    assert "Wang Wei" not in theirs.get_data(as_text=True)
    assert same_response(theirs, missing)
