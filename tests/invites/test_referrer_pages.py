"""The referrer's pages: inviting through the form (refusals beside their field, writing
nothing), "My invitations" with the contact shown to them alone and each status, withdrawing
one's own only; HR sees a number of pending invitations and nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.invites import answers, tokens
from community.invites.models import Invitation, InvitationStatus
from community.referrals.services.applications import Application
from tests.invites.conftest import Cast, invite, mails_to
from tests.referrals.factories import pdf_upload
from tests.security.conftest import db_fingerprint


def form(cast: Cast, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "job_id": str(cast.job.id),
        "contact": "li.lei@example.org",
        "locale": "zh_CN",
        "note": "Thought of you right away.",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_open_jobs_and_the_persons_language(client, auth, cast: Cast) -> None:
    auth.login(cast.referrer)
    page = client.get(f"/invites/new?job_id={cast.job.id}").text
    assert f'<option selected value="{cast.job.id}">Backend Engineer</option>' in page
    assert (
        'checked class="form-check-input" id="locale-1" name="locale" type="radio" value="en"'
        in page
    )


def test_inviting_through_the_form(client, auth, cast: Cast) -> None:
    auth.login(cast.referrer)
    answer = client.post("/invites/new", data=form(cast))
    assert answer.status_code == 302 and answer.location == "/invites/"
    [mail] = mails_to("li.lei@example.org")
    assert mail.locale == "zh_CN"
    page = client.get("/invites/").text
    assert "Your invitation to li.lei@example.org is on its way." in page
    assert 'data-status="pending"' in page and "li.lei@example.org" in page


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        (
            {"contact": "nobody@"},
            422,
            "Please enter a valid e-mail address or mobile phone number.",
        ),
        ({"contact": "wei@corp.example"}, 422, "That is your own address"),
        ({"job_id": "0"}, 422, "Please choose an open job."),
        ({"job_id": "abc"}, 422, "Please choose an open job."),
        ({"job_id": "2147483648"}, 422, "Please choose an open job."),  # past an id column
        ({"job_id": "²"}, 422, "Please choose an open job."),  # a digit to str.isdigit, not to int
        ({"locale": "de"}, 422, "Choose the language to write to them in."),
        ({"note": "x" * 501}, 422, "Too long"),
    ],
)
def test_a_refused_invitation_says_why_and_writes_nothing(
    client, auth, cast: Cast, overrides: dict[str, object], status: int, message: str
) -> None:
    auth.login(cast.referrer)
    before = db_fingerprint()
    answer = client.post("/invites/new", data=form(cast, **overrides))
    assert answer.status_code == status and message in answer.text
    assert 'data-testid="form-errors"' in answer.text
    assert db_fingerprint() == before


def test_a_suppressed_person_is_refused_with_no_more_said(client, auth, cast: Cast) -> None:
    invitation = invite(cast, "li.lei@example.org")
    answers.decline_invitation(tokens.token_for(invitation), never_again=True)
    auth.login(cast.colleague)
    answer = client.post("/invites/new", data=form(cast))
    assert answer.status_code == 409
    assert "This person asked not to be invited." in answer.text
    assert cast.referrer.name not in answer.text and "Wei" not in answer.text


def test_the_days_limit_shows_on_the_form(app, client, auth, cast: Cast) -> None:
    app.config["INVITATIONS_PER_DAY"] = 1
    try:
        auth.login(cast.referrer)
        assert "1 more invitation today" in client.get("/invites/new").text
        client.post("/invites/new", data=form(cast))
        assert 'data-testid="limit-reached"' in client.get("/invites/new").text
        answer = client.post("/invites/new", data=form(cast, contact="b@example.org"))
        assert answer.status_code == 429
    finally:
        app.config["INVITATIONS_PER_DAY"] = 10


def test_my_invitations_show_every_status_to_their_referrer_only(client, auth, cast: Cast) -> None:
    start = utcnow()
    with time_machine.travel(start, tick=False):
        pending = invite(cast, "pending@example.org")
        opened = invite(cast, "opened@example.org")
        accepted = invite(cast, "accepted@example.org")
        declined = invite(cast, "13800138000")
    with time_machine.travel(start + timedelta(days=1), tick=False):
        answers.mark_opened(opened)
        referral = answers.accept_invitation(
            tokens.token_for(accepted),
            Application(
                name="Ann Accept", consent=True, email="accepted@example.org", resume=pdf_upload()
            ),
        )
        answers.decline_invitation(tokens.token_for(declined))
        expired = invite(cast, "expired@example.org")
    assert referral is not None
    with time_machine.travel(start + timedelta(days=16), tick=False):
        auth.login(cast.referrer)
        page = client.get("/invites/").text
    statuses = {
        status
        for status in ("pending", "opened", "accepted", "declined", "expired")
        if f'data-status="{status}"' in page
    }
    assert statuses == {"expired", "accepted", "declined"}  # 16 days on, the open ones expired
    assert "pending@example.org" in page and "+86 ****8000" in page  # declined: the hint only
    assert "+8613800138000" not in page and "accepted@example.org" not in page
    assert f"/referrals/{referral.id}" in page
    assert pending.id and expired.id
    auth.logout()
    for who in (cast.colleague, cast.hr):
        auth.login(who)
        other = client.get("/invites/").text
        assert "pending@example.org" not in other and 'data-testid="invitations-empty"' in other
        auth.logout()


def test_withdrawing_is_the_referrers_alone(client, auth, cast: Cast) -> None:
    invitation = invite(cast)
    for who in (cast.colleague, cast.hr):
        auth.login(who)
        before = db_fingerprint()
        assert client.post(f"/invites/{invitation.id}/withdraw").status_code == 404
        assert client.post("/invites/987654/withdraw").status_code == 404
        assert db_fingerprint() == before
        auth.logout()
    auth.login(cast.referrer)
    answer = client.post(f"/invites/{invitation.id}/withdraw")
    assert answer.status_code == 302
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert client.post(f"/invites/{invitation.id}/withdraw").status_code == 409


def test_hr_sees_how_many_are_pending_and_nothing_else(client, auth, cast: Cast) -> None:
    invite(cast, "li.lei@example.org")
    invite(cast, "13800138000")
    answered = invite(cast, "gone@example.org")
    answers.decline_invitation(tokens.token_for(answered))
    auth.login(cast.hr)
    home = client.get("/").text
    pending = home.split('data-testid="hr-invitations-pending"')[1].split("</div></div>")[0]
    assert '<div class="stat-value">2</div>' in pending
    for path in ("/", "/referrals/queue", "/invites/"):
        text = client.get(path).text
        assert "li.lei" not in text and "8000" not in text and "l***@" not in text
    # HR's outbox lists every e-mail the app sends: an invitation's address masked, no text.
    outbox = client.get("/mail/outbox").text
    assert "l***@example.org" in outbox and "li.lei" not in outbox
    [mail] = mails_to("li.lei@example.org")
    message = client.get(f"/mail/outbox/{mail.id}").text
    assert 'data-testid="message-private"' in message
    assert "li.lei" not in message and "/i/" not in message  # nor the personal link
    assert db.session.scalar(select(func.count(Invitation.id))) == 3
    auth.logout()
    auth.login(cast.referrer)
    assert 'data-testid="hr-invitations-pending"' not in client.get("/").text


def test_the_job_page_offers_to_invite(client, auth, cast: Cast) -> None:
    auth.login(cast.referrer)
    page = client.get(f"/jobs/{cast.job.id}").text
    assert f'href="/invites/new?job_id={cast.job.id}"' in page


def test_my_invitations_are_in_the_user_menu_and_beside_my_referrals(
    client, auth, cast: Cast
) -> None:
    auth.login(cast.referrer)
    page = client.get("/referrals/mine").text
    assert 'data-testid="nav-invitations" ' in page or 'data-testid="nav-invitations">' in page
    assert 'data-testid="my-invitations-link"' in page
