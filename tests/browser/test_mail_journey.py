"""Browser journey of e-mail: an employee chooses to hear of their referrals by e-mail at once
(from their settings), HR moves the referral, and HR finds the mail in the outbox and opens it:
the text as text, the HTML in a sandboxed frame. The recipient's one-click unsubscribe link
opens without signing in. In English and Chinese, with screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.mail.models import OutboundEmail
from community.notifications.categories import Category, Delivery
from community.notifications.preferences import choices_for
from community.pipeline import Stage
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_an_employee_asks_for_e_mail_and_hr_reads_it_in_the_outbox(open_page, lang: str) -> None:
    hr = make_user(Role.HR, name="Hana HR", email=f"hana-{lang}@example.com", locale=lang)
    ann = make_user(name="Ann Employee", email=f"ann-{lang}@example.com", locale=lang)
    referral = make_referral(ann, candidate_name="Li Lei")

    # The employee opens her settings, then the notification settings, and chooses e-mail.
    page: Page = open_page(lang)  # type: ignore[assignment]
    login(page, ann.email)
    page.goto("/settings")
    page.get_by_test_id("to-notification-settings").click()
    expect(page.get_by_test_id("preferences-form")).to_be_visible()
    page.locator("label[for=pref-referrals-email]").click()
    page.locator("label[for=pref-club-weekly]").click()
    lang_screenshot(page, "mail-preferences", lang)
    page.get_by_test_id("save-preferences").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#pref-referrals-email")).to_be_checked()
    db.session.expire_all()
    assert choices_for(ann.id)[Category.REFERRALS] == Delivery.EMAIL
    assert choices_for(ann.id)[Category.CLUB] == Delivery.WEEKLY

    # HR moves her referral: the notification goes by e-mail too, in her language.
    advance(referral, Stage.SCREENING, hr)
    mail = db.session.scalars(select(OutboundEmail).where(OutboundEmail.user_id == ann.id)).one()

    # HR opens the outbox from the HR menu, then the mail.
    hr_page: Page = open_page(lang)  # type: ignore[assignment]
    login(hr_page, hr.email)
    hr_page.goto("/")
    hr_page.locator(".nav-link.dropdown-toggle", has_text=re.compile("^(HR|人力资源)$")).click()
    hr_page.get_by_test_id("nav-outbox").click()
    expect(hr_page.get_by_test_id("outbox-row").first).to_be_visible()
    expect(hr_page.get_by_test_id("outbox")).to_contain_text(ann.email)
    lang_screenshot(hr_page, "mail-outbox", lang)
    hr_page.get_by_test_id("outbox-open").first.click()
    expect(hr_page.get_by_test_id("message-subject")).to_have_text(mail.subject)
    expect(hr_page.get_by_test_id("message-text")).to_contain_text("Li Lei")
    frame = hr_page.frame_locator("[data-testid=message-html]")
    expect(frame.locator("body")).to_contain_text("Li Lei")
    assert hr_page.get_by_test_id("message-html").get_attribute("sandbox") == ""
    lang_screenshot(hr_page, "mail-message", lang)

    # Her link to stop these e-mails works signed out, and says how to undo it.
    link = mail.headers["List-Unsubscribe"][1:-1]
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous: Page = open_page(lang)  # type: ignore[assignment]
    anonymous.goto("/" + path)
    expect(anonymous.get_by_test_id("unsubscribe")).to_be_visible()
    lang_screenshot(anonymous, "mail-unsubscribe", lang)
    anonymous.get_by_test_id("confirm-unsubscribe").click()
    expect(anonymous.get_by_test_id("unsubscribed")).to_be_visible()
    expect(anonymous.get_by_test_id("undo-unsubscribe")).to_be_visible()
    lang_screenshot(anonymous, "mail-unsubscribed", lang)
    anonymous.get_by_test_id("undo-unsubscribe").click()
    expect(anonymous.get_by_test_id("resubscribed")).to_be_visible()
    db.session.expire_all()
    assert choices_for(ann.id)[Category.REFERRALS] == Delivery.EMAIL
