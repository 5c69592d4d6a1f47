"""Browser: the referrer sees the badge toast on their next page, the gallery and their profile;
HR sees the grant and adjust forms. English and Chinese, with screenshots."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from community.accounts.models import Role
from community.badges.models import DEFAULT_LEVELS, Level
from community.core.time import local_today
from community.extensions import db
from community.referrals.models import Stage
from community.referrals.services import advance_stage
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

TEXT = {
    "en": {"dept": "Engineering", "me": "Evan Employee", "toast": "New badge: First hire!"},
    "zh_CN": {"dept": "研发中心", "me": "李雷", "toast": "新徽章：首次入职！"},
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_gallery_profile_and_badge_toast(app: Flask, open_page, lang: str) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        db.session.add_all(Level(threshold=a, name_en=b, name_zh=c) for a, b, c in DEFAULT_LEVELS)
        db.session.commit()
        dept = make_department(t["dept"])
        hr = make_user(role=Role.HR, name="HR", email="hr@example.com", locale=lang)
        me = make_user(department=dept, name=t["me"], email="me@example.com", locale=lang)
        referral = make_referral(referrer=me, job=make_job(hard_to_fill=True, department=dept))
        me_id = me.id

    page = open_page(lang)
    login(page, "me@example.com")
    expect(page.get_by_test_id("toast").first).to_be_visible()  # "First referral"

    with app.test_request_context():
        for stage in (Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
            referral = advance_stage(
                referral, stage, hr, expected_from=referral.stage, start_date=local_today()
            )

    page.get_by_test_id("nav-community").click()
    page.get_by_test_id("nav-badges").click()
    expect(page.get_by_test_id("toast").filter(has_text=t["toast"])).to_be_visible()
    expect(page.get_by_test_id("badge-card")).to_have_count(9)
    expect(page.get_by_test_id("badge-earned")).to_have_count(5)
    page.wait_for_timeout(300)
    lang_screenshot(page, "badges-gallery", lang)

    page.reload()  # the toast was for one page only
    expect(page.get_by_test_id("badge-card")).to_have_count(9)
    expect(page.get_by_test_id("toast")).to_have_count(0)

    page.goto(f"/people/{me_id}/profile")
    expect(page.get_by_test_id("profile-name")).to_contain_text(t["me"])
    expect(page.get_by_test_id("profile-badge")).to_have_count(5)
    expect(page.get_by_test_id("level-progress")).to_be_visible()
    expect(page.get_by_test_id("rank-company-all")).to_have_text("#1")
    lang_screenshot(page, "badges-profile", lang)

    staff = open_page(lang)
    login(staff, "hr@example.com")
    staff.goto(f"/people/{me_id}/profile")
    expect(staff.get_by_test_id("grant-form")).to_be_visible()
    staff.select_option("#badge", "honest_matchmaker")
    staff.fill("#grant-reason", "Great referrals all year")
    staff.locator("[data-testid=grant-form] button[type=submit]").click()
    expect(staff.get_by_test_id("profile-badge")).to_have_count(6)
    lang_screenshot(staff, "badges-profile-hr", lang)
