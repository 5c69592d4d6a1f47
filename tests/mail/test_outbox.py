"""The outbox's public API: `queue` writes in the caller's transaction and checks the address;
`render` writes a message from templates in the reader's language, escaped where it is HTML."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from community.core.emails import EmailError
from community.extensions import db
from community.mail import outbox
from community.mail.models import EmailStatus, OutboundEmail
from tests.factories import make_user


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboundEmail)) or 0


def test_a_queued_mail_is_part_of_the_callers_transaction() -> None:
    outbox.queue("ann@example.com", "Hello", "Text", kind="test")
    db.session.rollback()
    assert _count() == 0  # a change that did not happen announces nothing
    ann = make_user(email="ann@example.com")
    email = outbox.queue(
        " Ann@Example.com ", "Hello", "Text", "<p>HTML</p>", kind="referrals", user_id=ann.id
    )
    db.session.commit()
    assert _count() == 1
    assert email.to_address == "ann@example.com"
    assert (email.status, email.attempts, email.user_id) == (EmailStatus.QUEUED, 0, ann.id)
    assert email.next_attempt_at == email.created_at  # due at once
    assert email.locale == "en"


def test_the_language_recorded_is_the_one_the_text_was_written_in() -> None:
    with force_locale("zh_CN"):
        email = outbox.queue("ann@example.com", "你好", "正文", kind="test")
    assert email.locale == "zh_CN"


@pytest.mark.parametrize("address", ["", "not an address", "a@b@c", "ann@example.com\nBcc: x@y.z"])
def test_a_bad_address_is_refused_and_nothing_is_queued(address: str) -> None:
    with pytest.raises(EmailError):
        outbox.queue(address, "Hello", "Text", kind="test")
    db.session.commit()
    assert _count() == 0


def test_subject_and_headers_never_carry_a_line_break() -> None:
    email = outbox.queue(
        "ann@example.com",
        "Hello\r\nBcc: evil@example.com",
        "Text",
        kind="test",
        headers={"X-Thing": "a\nb"},
    )
    assert email.subject == "Hello Bcc: evil@example.com"
    assert email.headers == {"X-Thing": "a b"}


def test_a_kind_is_a_short_word() -> None:
    with pytest.raises(ValueError):
        outbox.queue("ann@example.com", "Hello", "Text", kind="")
    with pytest.raises(ValueError):
        outbox.queue("ann@example.com", "Hello", "Text", kind="x" * 41)


def test_render_writes_subject_text_and_html_in_the_language_asked() -> None:
    context = {"subject": "Subject line", "lines": ["One <b>line</b>"], "link": "https://x.test/a"}
    subject, text, html = outbox.render("notice", "en", **context)
    assert subject == "Subject line"
    assert "One <b>line</b>" in text  # plain text is not escaped
    assert "https://x.test/a" in text
    assert html is not None
    assert "One &lt;b&gt;line&lt;/b&gt;" in html  # HTML is
    assert 'href="https://x.test/a"' in html
    assert "Referral Community" in html
    _s, text_zh, html_zh = outbox.render("notice", "zh_CN", **context)
    assert "内推社区" in (html_zh or "")
    assert 'lang="zh-CN"' in (html_zh or "")
    assert "\n内推社区: " in text_zh  # (the new sentences get their Chinese from the catalog)


def test_an_unknown_language_reads_as_the_company_default() -> None:
    _s, _t, html = outbox.render("notice", "fr", subject="S", lines=[])
    assert 'lang="en"' in (html or "")  # the tests' default locale


def test_links_in_mail_are_absolute(app) -> None:
    app.config["APP_BASE_URL"] = "https://referrals.example.com/"
    try:
        assert (
            outbox.absolute_url("/notifications/") == "https://referrals.example.com/notifications/"
        )
        assert (
            outbox.app_url("notifications.index") == "https://referrals.example.com/notifications/"
        )
    finally:
        app.config["APP_BASE_URL"] = "http://127.0.0.1:5000"
