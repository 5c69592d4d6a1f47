"""Browser journey: HR marks a bonus paid on the payouts page and the thanks wall (home page and
/thanks/) thanks the referrer, without the amount; HR posts an announcement and an employee sees
it on the wall and in their notifications. In English and in Chinese, with screenshots."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.core.time import utcnow
from community.extensions import db
from community.thanks import services as thanks_services
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_user
from tests.thanks.factories import approved_payout, paid_payout

TEXT = {
    "en": {
        "dept": "Engineering",
        "hr": "Hannah HR",
        "referrer": "Evan Employee",
        "reader": "Rita Reader",
        "gold": "Grace Gold",
        "job": "Senior Backend Engineer",
        "older_job": "Product Designer",
        "thanks": "Thank you, Evan Employee, for referring our new Senior Backend Engineer",
        "title": "Hard-to-fill: Site Reliability Engineer",
        "body": "We need an SRE with on-call experience.\nThe bonus is doubled until December.",
        "title_error": "Please give the announcement a title.",
        "notification": "HR posted an announcement on the thanks wall",
    },
    "zh_CN": {
        "dept": "研发中心",
        "hr": "韩梅梅",
        "referrer": "李雷",
        "reader": "王芳",
        "gold": "赵敏",
        "job": "高级后端工程师",
        "older_job": "产品设计师",
        "thanks": "谢谢 李雷 推荐了 高级后端工程师 的同事 — 入职奖金已发放。",
        "title": "急招：SRE 工程师",
        "body": "我们需要一位有值班经验的 SRE。\n十二月前内推奖金翻倍。",
        "title_error": "请填写公告标题。",
        "notification": "HR 在感谢墙发布了公告",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"thanks-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_paid_bonus_and_an_announcement_reach_the_wall(app: Flask, open_page, lang: str):
    t = TEXT[lang]
    department = make_department(t["dept"])
    hr = make_user(role=Role.HR, email="hr@example.com", name=t["hr"], locale=lang)
    referrer = make_user(
        email="emp@example.com", name=t["referrer"], department=department, locale=lang
    )
    make_user(email="reader@example.com", name=t["reader"], department=department, locale=lang)
    with app.test_request_context():
        # Some history on the wall: an older paid bonus and a gold referrer.
        paid_payout(hr, make_user(name=t["gold"], department=department), title=t["older_job"])
        thanks_services.thank_gold_tier(
            db.session.merge(referrer), "gold", utcnow() - timedelta(days=1)
        )
        db.session.commit()
        approved_payout(hr, referrer, title=t["job"])  # HR only has to mark it paid

    hr_page = open_page(lang)
    login(hr_page, "hr@example.com")
    hr_page.goto("/payouts/?status=approved")
    htmx_settled(hr_page)  # a click before htmx and Bootstrap are ready is lost under load
    row = hr_page.get_by_test_id("payout-row")
    expect(row).to_have_count(1)
    row.get_by_test_id("open-payout-actions").click()
    expect(row.get_by_test_id("mark-paid")).to_be_visible()
    row.get_by_test_id("payroll-reference").fill("PR-2026-11-0042")
    row.get_by_test_id("mark-paid").click()
    expect(row.get_by_test_id("payout-status")).to_have_text("Paid" if lang == "en" else "已发放")

    hr_page.goto("/")
    home_wall = hr_page.get_by_test_id("home-thanks")
    expect(home_wall.get_by_test_id("thanks-post").first).to_contain_text(t["thanks"])
    expect(home_wall).not_to_contain_text("3,000")  # 30% of 10,000: private
    home_wall.scroll_into_view_if_needed()
    shot(hr_page, "home", lang)

    hr_page.get_by_test_id("home-thanks-all").click()
    expect(hr_page).to_have_url(re.compile(r"/thanks/$"))
    expect(hr_page.get_by_test_id("thanks-post").first).to_contain_text(t["thanks"])

    # An empty title is refused in place, with the reason.
    htmx_settled(hr_page)
    hr_page.get_by_test_id("open-announce").click()
    expect(hr_page.locator("#announce-panel")).to_have_class(re.compile(r"\bshow\b"))
    hr_page.fill("#announce-body", t["body"])
    hr_page.get_by_test_id("post-announcement").click()
    expect(hr_page.get_by_test_id("title-error")).to_have_text(t["title_error"])
    expect(hr_page.locator("#announce-body")).to_have_value(t["body"])
    shot(hr_page, "announce-error", lang)
    htmx_settled(hr_page)  # the refused form came back by htmx: post the next try by htmx too
    hr_page.fill("#announce-title", t["title"])
    hr_page.get_by_test_id("post-announcement").click()
    first = hr_page.get_by_test_id("thanks-post").first
    expect(first).to_contain_text(t["title"])
    expect(first.get_by_test_id("thanks-body")).to_have_text(t["body"])
    expect(hr_page.get_by_test_id("title-error")).to_have_count(0)
    hr_page.wait_for_timeout(300)  # let the toast settle for the picture
    shot(hr_page, "wall-hr", lang)

    reader = open_page(lang)
    login(reader, "reader@example.com")
    expect(reader.get_by_test_id("unread-count")).to_have_text("1")
    expect(
        reader.get_by_test_id("home-thanks").get_by_test_id("thanks-post").first
    ).to_contain_text(t["title"])
    reader.get_by_test_id("home-thanks-all").click()
    expect(reader.get_by_test_id("thanks-post").first).to_contain_text(t["title"])
    expect(reader.get_by_test_id("thanks-wall")).to_contain_text(t["thanks"])
    expect(reader.get_by_test_id("announce-card")).to_have_count(0)
    shot(reader, "wall-employee", lang)
    reader.get_by_test_id("nav-notifications").click()
    expect(reader.locator("main")).to_contain_text(t["notification"])
    shot(reader, "notification", lang)

    # The referrer follows the bonus from the referral's own page (its payouts, with next steps).
    mine = open_page(lang)
    login(mine, "emp@example.com")
    mine.goto("/payouts/mine")
    mine.get_by_test_id("my-payout").first.get_by_role("link").first.click()
    payouts = mine.get_by_test_id("referral-payout")
    expect(payouts).to_have_count(1)
    expect(payouts.first.get_by_test_id("next-step")).to_contain_text("PR-2026-11-0042")
    shot(mine, "referral-detail", lang)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "emp@example.com")
    phone.goto("/thanks/")
    expect(phone.get_by_test_id("thanks-post").first).to_contain_text(t["title"])
    shot(phone, "wall-phone", lang)
