"""Browser: an employee exports a badge as an Open Badges credential and opens its public page
(valid); HR revokes the badge with a reason; the page says revoked. English and Chinese, with
screenshots at 1366 px and 375 px."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from community.accounts.models import Role
from community.badges import services as badge_services
from community.extensions import db
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_department, make_user

TEXT = {
    "en": {"dept": "Engineering", "me": "Evan Employee", "revoked": "Revoked", "valid": "Valid"},
    "zh_CN": {"dept": "研发中心", "me": "李雷", "revoked": "已撤销", "valid": "有效"},
}
PHONE = {"width": 375, "height": 800}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_export_verify_and_revoke(app: Flask, open_page, lang: str) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        dept = make_department(t["dept"])
        hr = make_user(role=Role.HR, name="HR", email=f"hr-{lang}@example.com", locale=lang)
        me = make_user(department=dept, name=t["me"], email=f"me-{lang}@example.com", locale=lang)
        badge_services.grant_badge(hr, me, "first_hire", "Helped hire our first SRE")
        db.session.commit()
        me_id = me.id

    page = open_page(lang, {"width": 1366, "height": 900})
    login(page, f"me-{lang}@example.com")
    page.goto(f"/people/{me_id}/profile")
    page.get_by_test_id("export-badge").first.click()
    expect(page.get_by_test_id("export-form")).to_be_visible()
    page.check("#show_name")
    page.get_by_test_id("export-submit").click()
    expect(page.get_by_test_id("issued-credential")).to_have_count(1)
    lang_screenshot(page, "credentials-export", lang)
    href = page.get_by_test_id("credential-page").get_attribute("href")
    assert href and href.startswith("/credentials/")

    visitor = open_page(lang, {"width": 1366, "height": 900})  # signed out: anyone with the link
    visitor.goto(href)
    expect(visitor.get_by_test_id("credential-status")).to_have_attribute("data-status", "valid")
    expect(visitor.get_by_test_id("credential-status")).to_contain_text(t["valid"])
    expect(visitor.get_by_test_id("credential-earner")).to_contain_text(t["me"])
    lang_screenshot(visitor, "credentials-valid", lang)

    staff = open_page(lang, {"width": 1366, "height": 900})
    login(staff, f"hr-{lang}@example.com")
    staff.goto(f"/people/{me_id}/profile")
    staff.get_by_test_id("revoke-badge").locator("summary").click()
    staff.locator("[data-testid=revoke-form] textarea").fill("Granted by mistake")
    lang_screenshot(staff, "credentials-hr-revoke", lang)
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_test_id("revoke-submit").click()
    expect(staff.get_by_test_id("profile-badge")).to_have_count(0)

    visitor.reload()
    expect(visitor.get_by_test_id("credential-status")).to_have_attribute("data-status", "revoked")
    expect(visitor.get_by_test_id("credential-status")).to_contain_text(t["revoked"])
    expect(visitor.locator("body")).not_to_contain_text("Granted by mistake")
    lang_screenshot(visitor, "credentials-revoked", lang)

    phone = open_page(lang, PHONE)
    phone.goto(href)
    expect(phone.get_by_test_id("credential-status")).to_have_attribute("data-status", "revoked")
    lang_screenshot(phone, "credentials-revoked-phone", lang)
    phone.goto("/credentials/verify")
    phone.fill("#jwt", "not.a.credential")
    phone.get_by_test_id("verify-submit").click()
    expect(phone.get_by_test_id("verify-result")).to_have_attribute("data-valid", "0")
    lang_screenshot(phone, "credentials-verify-phone", lang)
    phone.goto("/credentials/issuer")
    lang_screenshot(phone, "credentials-issuer-phone", lang)
