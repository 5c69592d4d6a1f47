"""Browser journey (issue 3): HR moves a referral to hired on the referral page; the referrer's
next page shows the badge toast, the new points, level progress and their new rank, and the
leaderboard agrees. English and Chinese, with screenshots."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from community.accounts.models import Role
from community.badges.models import DEFAULT_LEVELS, Level
from community.core.time import local_today
from community.extensions import db
from community.points.services import adjust_points
from community.referrals.models import Stage
from community.referrals.services import advance_stage
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

TEXT = {
    "en": {
        "dept": "Engineering",
        "me": "Evan Employee",
        "rival": "Alice Wang",
        "toast": "New badge: First hire!",
        "level_before": "Newcomer",
        "level_after": "Talent Scout",
        "to_next": "110 points to Seasoned Scout",
    },
    "zh_CN": {
        "dept": "研发中心",
        "me": "李雷",
        "rival": "王爱丽",
        "toast": "新徽章：首次入职！",
        "level_before": "新人",
        "level_after": "伯乐",
        "to_next": "距「资深伯乐」还差 110 分",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_hr_hires_and_the_referrer_sees_points_level_badge_and_rank(
    app: Flask, open_page, lang: str
) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        db.session.add_all(Level(threshold=a, name_en=b, name_zh=c) for a, b, c in DEFAULT_LEVELS)
        db.session.commit()
        dept = make_department(t["dept"])
        hr = make_user(role=Role.HR, name="HR", email="hr@example.com", locale=lang)
        me = make_user(department=dept, name=t["me"], email="me@example.com", locale=lang)
        rival = make_user(department=dept, name=t["rival"], locale=lang)
        adjust_points(hr, rival, 100, "Hosted the referral workshop")
        referral = make_referral(referrer=me, job=make_job(department=dept))
        for stage in (Stage.INTERVIEWING, Stage.OFFER):  # 10 + 30 + 50 = 90 points so far
            referral = advance_stage(referral, stage, hr, expected_from=referral.stage)
        referral_id = referral.id
        start_date = local_today().isoformat()

    page = open_page(lang)
    login(page, "me@example.com")
    expect(page.get_by_test_id("home-standing")).to_be_visible()  # signed in, on the home page
    page.goto("/")  # the earlier badges' toasts came with the first page
    expect(page.get_by_test_id("home-lifetime-points")).to_have_text("90")
    expect(page.get_by_test_id("home-level")).to_contain_text(t["level_before"])
    expect(page.get_by_test_id("home-rank-company")).to_contain_text("#2")

    staff = open_page(lang)
    login(staff, "hr@example.com")
    expect(staff.get_by_test_id("home-standing")).to_be_visible()
    staff.goto(f"/referrals/{referral_id}")
    staff.fill("[data-testid=stage-actions] textarea[name=feedback]", "Welcome aboard!")
    staff.get_by_test_id("move-hired").click()  # asks for the start date, in place
    staff.get_by_test_id("start-date").fill(start_date)
    htmx_settled(staff)
    staff.get_by_test_id("confirm-hire").click()
    expect(staff.locator("h1 .stage-hired")).to_be_visible()

    page.goto("/")
    expect(page.get_by_test_id("toast").filter(has_text=t["toast"])).to_be_visible()
    expect(page.get_by_test_id("home-lifetime-points")).to_have_text("190")
    level = page.get_by_test_id("home-level")
    expect(level).to_contain_text(t["level_after"])
    expect(level).to_contain_text(t["to_next"])
    expect(page.get_by_test_id("home-rank-company")).to_contain_text("#1")
    expect(page.get_by_test_id("home-rank-department")).to_contain_text("#1")
    expect(page.locator("[data-testid=home-badges] [data-badge=first_hire]")).to_be_visible()
    page.wait_for_timeout(300)  # let the toast finish fading in
    lang_screenshot(page, "hire-rewards-home", lang)

    page.get_by_test_id("nav-leaderboard").click()
    expect(page.get_by_test_id("my-rank-number")).to_have_text("#1")
    first = page.locator("[data-testid=leaderboard] [data-testid=board-row]").first
    expect(first).to_contain_text(t["me"])
    expect(first).to_contain_text(t["level_after"])
    lang_screenshot(page, "hire-rewards-leaderboard", lang)
