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
        # The bonus and the gold-referrer tier the hire brought: one card, a line each.
        "card": "Thank you, Evan Employee!",
        "thanks": "for referring our new Senior Backend Engineer — joining bonus paid",
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
        "card": "谢谢 李雷！",
        "thanks": "推荐了 高级后端工程师 的同事 — 入职奖金已发放",
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
    expect(home_wall.get_by_test_id("thanks-post").first).to_contain_text(t["card"])
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
    mine.get_by_test_id("referral-schedule").first.get_by_role("link").first.click()
    payouts = mine.locator("[data-testid=referral-payout][data-state=paid]")
    expect(payouts).to_have_count(1)
    expect(payouts.first.get_by_test_id("next-step")).to_contain_text("PR-2026-11-0042")
    shot(mine, "referral-detail", lang)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "emp@example.com")
    phone.goto("/thanks/")
    expect(phone.get_by_test_id("thanks-post").first).to_contain_text(t["title"])
    shot(phone, "wall-phone", lang)


REACT = {
    "en": {
        "ann": "Ann Li",
        "bo": "Bo Chen",
        "card": "Thank you, Ann Li!",
        "lines": "2 thank-yous",
        "reason": "Posted by mistake",
        "hidden": "Post hidden from the thanks wall.",
        "confirm": "Hide this post from the wall for everyone?",
    },
    "zh_CN": {
        "ann": "李安",
        "bo": "陈波",
        "card": "谢谢 李安！",
        "lines": "2 条感谢",
        "reason": "误发",
        "hidden": "该内容已从感谢墙隐藏。",
        "confirm": "要对所有人隐藏这条帖子吗？",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_colleagues_react_and_hr_hides_with_a_confirmation(
    app: Flask, open_page, browser, live_server: str, lang: str
):
    """Issue 11 §19: one card per person and day, one reaction each (toggled, over htmx), and
    hiding asks to confirm: a dialog with htmx, a page of its own without JavaScript."""
    t = REACT[lang]
    make_user(role=Role.HR, email="hr@example.com", name="Hannah HR", locale=lang)
    ann = make_user(email="ann@example.com", name=t["ann"], locale=lang)
    make_user(email="cora@example.com", name="Cora", locale=lang)
    bo = make_user(name=t["bo"])
    with app.test_request_context():
        now = utcnow()
        thanks_services.thank_gold_tier(ann, "bronze", now - timedelta(minutes=30))
        thanks_services.thank_gold_tier(ann, "silver", now - timedelta(minutes=20))
        bo_post = thanks_services.thank_gold_tier(bo, "bronze", now - timedelta(minutes=10))
        extra = thanks_services.thank_gold_tier(
            make_user(name="Dee"), "bronze", now - timedelta(days=1)
        )
        db.session.commit()
        bo_post_id, extra_id = bo_post.id, extra.id

    cora = open_page(lang, {"width": 1366, "height": 900})
    login(cora, "cora@example.com")
    cora.goto("/thanks/")
    htmx_settled(cora)
    card = cora.get_by_test_id("thanks-post").filter(has_text=t["card"])
    expect(card).to_contain_text(t["lines"])
    expect(card.get_by_test_id("thanks-line")).to_have_count(2)
    applause = card.get_by_test_id("react-applause")
    applause.click()
    expect(applause).to_have_attribute("aria-pressed", "true")  # re-rendered by htmx
    expect(card.get_by_test_id("react-applause")).to_contain_text("1")
    htmx_settled(cora)
    card.get_by_test_id("react-applause").click()  # the same again takes it back
    expect(card.get_by_test_id("react-applause")).to_have_attribute("aria-pressed", "false")
    expect(card.get_by_test_id("react-applause")).not_to_contain_text("1")
    htmx_settled(cora)
    card.get_by_test_id("react-heart").click()
    expect(card.get_by_test_id("react-heart")).to_have_attribute("aria-pressed", "true")
    htmx_settled(cora)
    cora.reload()  # stored, not only drawn
    htmx_settled(cora)
    card = cora.get_by_test_id("thanks-post").filter(has_text=t["card"])
    expect(card.get_by_test_id("react-heart")).to_have_attribute("aria-pressed", "true")
    lang_screenshot(cora, "notices-wall-1366", lang)

    # Ann sees the cheer on her card and cannot cheer herself.
    own = open_page(lang, {"width": 375, "height": 800})
    login(own, "ann@example.com")
    own.goto("/thanks/")
    mine = own.get_by_test_id("thanks-post").filter(has_text=t["card"])
    expect(mine.get_by_test_id("reaction-counts")).to_contain_text("1")
    expect(mine.get_by_test_id("react-heart")).to_have_count(0)
    lang_screenshot(own, "notices-wall-375", lang)

    # HR hides Bo's post: a labelled control, a reason, and a confirmation first.
    hr_page = open_page(lang, {"width": 1366, "height": 900})
    login(hr_page, "hr@example.com")
    hr_page.goto("/thanks/")
    htmx_settled(hr_page)
    bo_card = hr_page.locator(f"article:has(#thanks-{bo_post_id})")
    bo_card.get_by_test_id("open-hide").click()
    bo_card.get_by_test_id("hide-form").locator("input[name=reason]").fill(t["reason"])
    asked: list[str] = []
    hr_page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    bo_card.get_by_test_id("hide-post").click()
    hr_page.wait_for_timeout(300)
    assert asked and asked[0].startswith(t["confirm"])
    expect(bo_card).to_be_visible()  # dismissed: nothing happened
    lang_screenshot(hr_page, "notices-wall-hr-hide", lang)
    hr_page.once("dialog", lambda dialog: dialog.accept())
    bo_card.get_by_test_id("hide-post").click()
    expect(hr_page.locator(f"#thanks-{bo_post_id}")).to_have_count(0)
    expect(hr_page.get_by_test_id("toast").last).to_contain_text(t["hidden"])

    # Without JavaScript "Hide" leads to a page that asks for the reason first.
    context = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        viewport={"width": 1366, "height": 900},
        locale="zh-CN" if lang == "zh_CN" else "en-US",
    )
    try:
        plain = context.new_page()
        plain.set_default_timeout(10_000)
        login(plain, "hr@example.com")
        plain.goto("/thanks/")
        plain.locator(f"article:has(#thanks-{extra_id})").get_by_test_id("open-hide").click()
        expect(plain.get_by_test_id("hide-confirm-form")).to_be_visible()
        lang_screenshot(plain, "notices-hide-confirm", lang)
        plain.get_by_test_id("confirm-hide").click()  # no reason yet: asked again
        expect(plain.get_by_test_id("hide-error")).to_be_visible()
        plain.fill("#hide-reason", t["reason"])
        plain.get_by_test_id("confirm-hide").click()
        expect(plain.locator(f"#thanks-{extra_id}")).to_have_count(0)
    finally:
        context.close()

    cora.reload()
    expect(cora.locator(f"#thanks-{bo_post_id}")).to_have_count(0)
    expect(cora.locator(f"#thanks-{extra_id}")).to_have_count(0)
