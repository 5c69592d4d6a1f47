"""The invited person's pages, without an account: the invitation in their language, accepting
(consent and apply), declining, and every link that leads nowhere answering a clear 4xx page in
their language, writing nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.invites import services, tokens
from community.invites.models import InvitationStatus, InviteSuppression
from community.referrals.models import Referral, ReferralSource
from tests.invites.conftest import Cast, invite, link_of, mails_to
from tests.referrals.factories import PDF_BYTES, make_referral
from tests.security.conftest import db_fingerprint


def apply_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Li Lei",
        "email": "li.lei@example.org",
        "phone": "",
        "current_employer": "Acme",
        "current_title": "Engineer",
        "resume": (io.BytesIO(PDF_BYTES), "resume.pdf"),
        "resume_url": "",
        "consent": "y",
    }
    data.update(overrides)
    return data


def test_the_invitation_page_shows_the_job_the_first_name_and_why_a_referral_helps(
    client, cast: Cast
) -> None:
    invitation = invite(cast, note="You would love this team.")
    page = client.get(link_of("li.lei@example.org"))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    text = page.text
    assert "Wei invites you to apply" in text and "Zhang" not in text
    assert "Backend Engineer" in text and "You would love this team." in text
    assert "Priority screening" in text and "Wei sees every step of your application" in text
    assert 'href="/candidates/privacy#invitations"' in text  # the notice, where it speaks of us
    assert 'data-testid="accept-form"' in text and 'data-testid="decline-form"' in text
    assert 'value="li.lei@example.org"' in text  # the address they were invited at, to keep
    assert "Log out" not in text and "Review queue" not in text  # no account, no menu
    # Fetching the link is not opening it (a mail scanner fetches it too): the page's script is.
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.PENDING and invitation.opened_at is None
    assert 'data-testid="seen-beacon"' in text
    token = link_of("li.lei@example.org").rsplit("/", 1)[1]
    assert client.post(f"/i/{token}/seen", csrf=False).status_code == 400
    assert client.post(f"/i/{token}/seen").status_code == 204
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.OPENED and invitation.opened_at
    assert 'data-testid="seen-beacon"' not in client.get(link_of("li.lei@example.org")).text
    assert client.post("/i/forged-token/seen").status_code == 204  # says nothing either way


def test_the_page_speaks_the_language_of_the_invitation(client, cast: Cast) -> None:
    invite(cast, "han.mei@example.org", locale="zh_CN")
    page = client.get(link_of("han.mei@example.org"), headers={"Accept-Language": "en"}).text
    assert '<html lang="zh-CN">' in page and "后端工程师" in page
    assert "内推社区" in page  # the house's own words, in Chinese


def test_a_forged_link_is_a_clear_404_in_the_browsers_language(client, cast: Cast) -> None:
    invite(cast)
    real = link_of("li.lei@example.org")
    before = db_fingerprint()
    for path in ("/i/not-a-token", real[:-3] + "abc", "/i/" + "A" * 200):
        answer = client.get(path, headers={"Accept-Language": "zh-CN"})
        assert answer.status_code == 404
        assert 'data-problem="forged"' in answer.text and '<html lang="zh-CN">' in answer.text
    for action in ("accept", "decline"):
        assert client.post(f"/i/not-a-token/{action}", data=apply_form()).status_code == 404
    assert db_fingerprint() == before


def test_an_expired_link_answers_410_in_the_invitations_language(client, cast: Cast) -> None:
    invite(cast, "han.mei@example.org", locale="zh_CN")
    link = link_of("han.mei@example.org")
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        answer = client.get(link, headers={"Accept-Language": "en"})
        assert answer.status_code == 410 and 'data-problem="expired"' in answer.text
        assert '<html lang="zh-CN">' in answer.text
        refused = client.post(link + "/accept", data=apply_form(email="han.mei@example.org"))
        assert refused.status_code == 410
        assert db.session.scalar(select(func.count(Referral.id))) == 0
        # An expired invitation still lets the person ask never to be invited again.
        assert 'data-testid="never-again"' in answer.text
        client.post(link + "/decline", data={"never_again": "y"})
    assert db.session.scalar(select(func.count(InviteSuppression.id))) == 1


def test_a_withdrawn_invitation_is_gone(client, cast: Cast) -> None:
    invitation = invite(cast)
    link = link_of("li.lei@example.org")
    services.withdraw_invitation(cast.referrer, invitation.id)
    assert mails_to("li.lei@example.org") == []  # not sent after all: the outbox forgot it
    answer = client.get(link)
    assert answer.status_code == 410 and 'data-problem="gone"' in answer.text
    assert "li.lei" not in answer.text


def test_accepting_applies_and_the_page_thanks_them(client, cast: Cast) -> None:
    link = link_of(invite(cast).contact or "")
    answer = client.post(link + "/accept", data=apply_form())
    assert answer.status_code == 302 and answer.location == link
    [referral] = db.session.scalars(select(Referral)).all()
    assert referral.source == ReferralSource.INVITE and referral.referrer_id == cast.referrer.id
    assert referral.candidate.current_employer == "Acme" and referral.resume_file
    thanks = client.get(link).text
    assert 'data-testid="received"' in thanks and 'data-testid="accept-form"' not in thanks
    again = client.post(link + "/accept", data=apply_form())
    assert again.status_code == 409
    assert db.session.scalar(select(func.count(Referral.id))) == 1


def test_without_consent_nothing_is_stored_and_the_form_says_why(client, cast: Cast) -> None:
    link = link_of(invite(cast).contact or "")
    before = db_fingerprint()
    answer = client.post(link + "/accept", data=apply_form(consent=""))
    assert answer.status_code == 422
    assert "Please agree to the privacy notice. We store nothing without it." in answer.text
    assert 'data-testid="kept-resume"' not in answer.text  # no consent, no file kept
    assert db_fingerprint() == before


def test_a_bad_field_keeps_the_resume_for_the_next_try(client, cast: Cast) -> None:
    link = link_of(invite(cast).contact or "")
    answer = client.post(link + "/accept", data=apply_form(email="not an address", name=""))
    assert answer.status_code == 422
    assert 'data-testid="kept-resume"' in answer.text
    assert db.session.scalar(select(func.count(Referral.id))) == 0
    kept = answer.text.split('name="kept_resume" type="hidden" value="')[1].split('"')[0]
    answer = client.post(link + "/accept", data=apply_form(resume=None, kept_resume=kept))
    assert answer.status_code == 302
    assert db.session.scalars(select(Referral)).one().resume_file


def test_a_bad_resume_is_refused_beside_its_field(client, cast: Cast) -> None:
    link = link_of(invite(cast).contact or "")
    answer = client.post(
        link + "/accept", data=apply_form(resume=(io.BytesIO(b"MZ not a pdf"), "cv.pdf"))
    )
    assert answer.status_code == 422 and 'id="resume-error"' in answer.text
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_someone_already_referred_reads_the_same_thank_you(client, cast: Cast) -> None:
    make_referral(cast.colleague, cast.job, email="li.lei@example.org")
    link = link_of(invite(cast).contact or "")
    answer = client.post(link + "/accept", data=apply_form())
    assert answer.status_code == 302
    thanks = client.get(link).text
    assert 'data-testid="received"' in thanks
    assert cast.colleague.name not in thanks
    assert db.session.scalar(select(func.count(Referral.id))) == 1  # the colleague's only


def test_declining_and_never_again(client, cast: Cast) -> None:
    link = link_of(invite(cast).contact or "")
    answer = client.post(link + "/decline", data={})
    assert answer.status_code == 302
    page = client.get(link).text
    assert "You said no to this invitation." in page and 'data-testid="never-again"' in page
    client.post(link + "/decline", data={"never_again": "y"})
    page = client.get(link).text
    assert 'data-testid="suppressed"' in page and 'data-testid="never-again"' not in page
    assert db.session.scalar(select(func.count(InviteSuppression.id))) == 1


def test_declining_for_good_at_once(client, cast: Cast) -> None:
    invitation = invite(cast)
    client.post(link_of("li.lei@example.org") + "/decline", data={"never_again": "y"})
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.DECLINED
    assert db.session.scalar(select(func.count(InviteSuppression.id))) == 1


def test_the_link_is_the_tokens(cast: Cast) -> None:
    invitation = invite(cast)
    assert link_of("li.lei@example.org") == "/i/" + tokens.token_for(invitation)


def test_the_privacy_notice_speaks_of_invitations_with_our_days(app, client) -> None:
    app.config["INVITATION_DELETE_DAYS"] = 20
    try:
        notice = client.get("/candidates/privacy").text
    finally:
        app.config["INVITATION_DELETE_DAYS"] = 30
    assert 'id="invitations"' in notice and "20 days after it was sent" in notice
