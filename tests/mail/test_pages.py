"""HR's outbox pages: the list (filtered, paged), one message with its text escaped and its
HTML in a sandboxed frame, sending a failed one again; nobody else opens them."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from community.accounts.models import Role
from community.extensions import db
from community.mail import outbox
from community.mail.models import EmailStatus, OutboundEmail
from community.mail.queries import PER_PAGE
from tests.factories import make_user

EVIL = '<script>alert("x")</script><img src="https://tracker.example/p.gif">'


def _email(
    subject: str = "Hello", status: EmailStatus = EmailStatus.QUEUED, **extra: object
) -> OutboundEmail:
    email = outbox.queue(
        "ann@example.com",
        subject,
        f"Text {EVIL}",
        f"<p>HTML {EVIL}</p>",
        kind="referrals",
        **extra,  # type: ignore[arg-type]
    )
    email.status = status
    db.session.commit()
    return email


@pytest.fixture
def as_hr(client, auth, hr):
    auth.login(hr)
    return client


def test_hr_sees_every_mail_with_its_status_and_error(as_hr) -> None:
    _email("First")
    failed = _email("Second", EmailStatus.FAILED)
    failed.attempts, failed.last_error = 6, "ConnectionRefusedError: [Errno 111]"
    db.session.commit()
    page = as_hr.get("/mail/outbox")
    assert page.status_code == 200
    assert page.text.count('data-testid="outbox-row"') == 2
    assert "ConnectionRefusedError" in page.text
    assert 'data-testid="outbox-kind">Referral progress<' in page.text  # the kind in words
    assert 'data-testid="count-failed">Failed: 1<' in page.text
    only_failed = as_hr.get("/mail/outbox?status=failed")
    assert only_failed.text.count('data-testid="outbox-row"') == 1
    assert "Second" in only_failed.text and "First" not in only_failed.text
    assert (
        as_hr.get("/mail/outbox?status=nonsense&kind=nothing").text.count(
            'data-testid="outbox-row"'
        )
        == 2
    )


def test_the_list_is_paged(as_hr) -> None:
    for n in range(PER_PAGE + 1):
        outbox.queue("ann@example.com", f"Mail {n}", "Text", kind="test")
    db.session.commit()
    first, second = as_hr.get("/mail/outbox"), as_hr.get("/mail/outbox?page=2")
    assert first.text.count('data-testid="outbox-row"') == PER_PAGE
    assert second.text.count('data-testid="outbox-row"') == 1
    assert ">Mail 0<" in second.text  # newest first: the oldest is on the last page
    fragment = as_hr.get("/mail/outbox?page=2", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="outbox">')


def test_a_message_shows_its_text_escaped_and_its_html_sandboxed(as_hr) -> None:
    email = _email(headers={"List-Unsubscribe": "<https://x.test/u>"})
    page = as_hr.get(f"/mail/outbox/{email.id}")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "Text &lt;script&gt;" in page.text
    frame = re.search(r'<iframe[^>]*data-testid="message-html"[^>]*>', page.text)
    assert frame is not None
    assert 'sandbox=""' in frame.group(0)
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame.group(0))
    assert srcdoc is not None
    assert (
        html_lib.unescape(srcdoc.group(1)) == f"<p>HTML {EVIL}</p>"
    )  # as sent, inert in the frame
    assert "List-Unsubscribe" in page.text
    assert "img-src 'self' data:" in page.headers["Content-Security-Policy"]  # no tracker loads


def test_hr_sends_a_failed_mail_again(as_hr) -> None:
    email = _email(status=EmailStatus.FAILED)
    email.attempts = 6
    db.session.commit()
    assert 'data-testid="message-retry"' in as_hr.get(f"/mail/outbox/{email.id}").text
    response = as_hr.post(f"/mail/outbox/{email.id}/retry")
    assert response.status_code == 302
    again = db.session.get(OutboundEmail, email.id)
    assert (again.status, again.attempts) == (EmailStatus.QUEUED, 0)


def test_only_a_failed_mail_is_sent_again(as_hr) -> None:
    email = _email(status=EmailStatus.SENT)
    response = as_hr.post(f"/mail/outbox/{email.id}/retry")
    assert response.status_code == 409
    assert "Only a failed e-mail can be sent again." in response.text
    assert db.session.get(OutboundEmail, email.id).status == EmailStatus.SENT


def test_a_missing_message_is_a_404(as_hr) -> None:
    assert as_hr.get("/mail/outbox/987654").status_code == 404
    assert as_hr.post("/mail/outbox/987654/retry").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_nobody_but_hr_reads_the_outbox(client, auth, role: Role) -> None:
    person = make_user(role)
    email = _email(status=EmailStatus.FAILED, user_id=person.id)  # even a mail to themself
    auth.login(person)
    assert client.get("/mail/outbox").status_code == 403
    assert client.get(f"/mail/outbox/{email.id}").status_code == 403
    assert client.post(f"/mail/outbox/{email.id}/retry").status_code == 403
    assert db.session.get(OutboundEmail, email.id).status == EmailStatus.FAILED


def test_signed_out_visitors_are_sent_to_log_in(client) -> None:
    response = client.get("/mail/outbox")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_another_rooms_mail_kind_shows_in_the_words_it_gave(as_hr) -> None:
    outbox.queue("li@example.com", "Join us", "Text", kind="invitation")
    db.session.commit()
    page = as_hr.get("/mail/outbox")
    assert 'data-testid="outbox-kind">Invitation to apply<' in page.text
    assert 'title="invitation"' in page.text  # the raw kind stays in the tooltip
    assert as_hr.get("/mail/outbox", headers={"Accept-Language": "zh-CN"}).status_code == 200
