"""Browser journey: HR hosts a live challenge; an employee finds it in the menu and counts
themself in; HR moves their referral and the employee's challenge page shows the points at
once; the office screen, refreshed the way its poll does it, shows them on top. English and
Chinese, with screenshots at 1366 px, on a 375 px phone, and on a 1920×1080 and 1366×768 TV."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.challenges import lifecycle
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from community.pipeline import Stage
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_job, make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
TV = {"width": 1920, "height": 1080}

TEXT = {
    "en": {
        "dept": "Engineering",
        "me": "Evan Employee",
        "rival": "Alice Wang",
        "others": [
            "Bob Li",
            "Carol Zhang",
            "Dave Chen",
            "Erin Zhou",
            "Frank Wu",
            "Grace Xu",
            "Henry Sun",
            "Ivy Ma",
            "Jack Hu",
        ],
        "job": "Payments engineer",
        "challenge": "December referral sprint",
        "nav": "Challenges",
        "joined": "You are in. Every referral you make in the window counts.",
        "points": "80 points",
        "left": "left",
    },
    "zh_CN": {
        "dept": "研发中心",
        "me": "李雷",
        "rival": "王爱丽",
        "others": ["李波", "张卡罗", "陈大伟", "周艾琳", "吴凡", "徐佳", "孙浩", "马艾薇", "胡杰"],
        "job": "支付工程师",
        "challenge": "十二月内推冲刺",
        "nav": "挑战赛",
        "joined": "报名成功！在活动时间内提交的每一条推荐都会计入。",
        "points": "80 积分",
        "left": "还剩",
    },
}


def fits(page: Page, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def shot(page: Page, name: str, lang: str) -> None:
    lang_screenshot(page, f"challenge-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_points_reach_the_challenge_page_and_the_office_screen(
    app: Flask, open_page, lang: str
) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        dept = make_department(t["dept"])
        hr = make_user(role=Role.HR, name="HR", email="hr@example.com", locale=lang)
        me = make_user(department=dept, name=t["me"], email="me@example.com", locale=lang)
        rival = make_user(department=dept, name=t["rival"], locale=lang)
        job = make_job(department=dept, title=t["job"], title_en=TEXT["en"]["job"])
        # Under an hour left: the countdown shows minutes and seconds, ticking.
        challenge = make_challenge(
            hr,
            ends_at=utcnow() + timedelta(minutes=50),
            multiplier_percent=200,
            multiplier_job_ids=[job.id],
            prizes=[
                PrizeFields(rank_from=1, rank_to=1, points=500, badge=True, thanks=True),
                PrizeFields(rank_from=2, rank_to=3, points=100),
                PrizeFields(kind="threshold", threshold=100, points=20),
            ],
        )
        lifecycle.keep_time(utcnow())
        # Alice with two referrals (40 points, doubled for the job), nine others with one (20).
        advance(make_referral(rival, job), Stage.SCREENING, hr)
        for person in [rival, *(make_user(department=dept, name=n) for n in t["others"])]:
            advance(make_referral(person, job), Stage.SCREENING, hr)
        referral_id = make_referral(me, job).id
        challenge_id = challenge.id

    page = open_page(lang, LAPTOP)
    login(page, "me@example.com")
    page.get_by_test_id("nav-challenges").first.click()
    expect(page).to_have_url(re.compile(r"/challenges/$"))
    card = page.get_by_test_id("challenge-card")
    expect(card).to_contain_text(t["challenge"])
    shot(page, "list", lang)
    card.get_by_test_id("challenge-link").click()
    expect(page.get_by_test_id("challenge-title")).to_contain_text(t["challenge"])

    countdown = page.get_by_test_id("countdown").first
    expect(countdown).to_contain_text(t["left"])
    before = countdown.inner_text()
    page.wait_for_function(  # the script ticks it down
        "(before) => document.querySelector('[data-testid=countdown]').textContent !== before",
        arg=before,
    )

    page.get_by_test_id("join-button").click()
    expect(page.get_by_text(t["joined"])).to_be_visible()
    expect(page.get_by_test_id("join-button")).to_have_count(0)
    tv = open_page(lang, TV)  # the office screen, open before the referral moves
    login(tv, "me@example.com")
    tv.goto(f"/challenges/{challenge_id}/screen")
    expect(tv.get_by_test_id("board-row")).to_have_count(10)
    expect(tv.get_by_test_id("board-row").first).to_contain_text(t["rival"])

    staff = open_page(lang, LAPTOP)
    login(staff, "hr@example.com")
    staff.goto(f"/referrals/{referral_id}")
    htmx_settled(staff)
    staff.get_by_test_id("move-interviewing").click()
    expect(staff.locator("h1 .stage-interviewing")).to_be_visible()

    page.reload()  # 10 + 30 points, and the same again for the multiplied job
    expect(page.get_by_test_id("my-rank-number")).to_have_text("#1")
    expect(page.get_by_test_id("my-score")).to_have_text(t["points"])
    rows = page.locator("[data-testid=challenge-top] [data-testid=board-row]")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text(t["me"])
    expect(rows.nth(1)).to_contain_text(t["rival"])
    expect(page.get_by_test_id("threshold-text")).to_contain_text("80")
    assert fits(page, LAPTOP["width"])
    shot(page, "detail", lang)

    # The screen's poll brings the fragment in place: the employee is on top.
    expect(tv.get_by_test_id("screen-board")).to_have_attribute("hx-trigger", "every 30s")
    tv.evaluate("window.__sameDocument = true")
    tv.evaluate("htmx.ajax('GET', location.pathname, {target: '#screen-board', swap: 'outerHTML'})")
    expect(tv.get_by_test_id("board-row")).to_have_count(10)
    expect(tv.get_by_test_id("board-row").first).to_contain_text(t["me"])
    assert tv.evaluate("window.__sameDocument") is True
    expect(tv.locator("nav")).to_have_count(0)
    shot(tv, "screen-1920", lang)
    assert tv.evaluate("document.documentElement.scrollHeight <= innerHeight")

    laptop_tv = open_page(lang, LAPTOP)
    login(laptop_tv, "me@example.com")
    laptop_tv.goto(f"/challenges/{challenge_id}/screen")
    expect(laptop_tv.get_by_test_id("board-row")).to_have_count(10)
    assert fits(laptop_tv, LAPTOP["width"])
    shot(laptop_tv, "screen-1366", lang)
    assert laptop_tv.evaluate("document.documentElement.scrollHeight <= innerHeight")

    phone = open_page(lang, PHONE)
    login(phone, "me@example.com")
    phone.goto(f"/challenges/{challenge_id}")
    expect(phone.get_by_test_id("my-rank-number")).to_have_text("#1")
    assert fits(phone, PHONE["width"])
    shot(phone, "phone", lang)
    phone.goto("/challenges/")
    expect(phone.get_by_test_id("challenge-card")).to_be_visible()
    assert fits(phone, PHONE["width"])
    shot(phone, "list-phone", lang)


def test_the_list_for_hr_with_every_section(app: Flask, open_page) -> None:
    """HR's list: running, coming up, drafts and awaiting approval, past with its winners, and
    cancelled with the reason; then the final challenge's frozen results. Screenshots only
    beyond what the page must show."""
    with app.test_request_context():
        sales = make_department("Sales")
        hr = make_user(role=Role.HR, name="Hana HR", email="hr@example.com")
        host = make_user(role=Role.MANAGER, department=sales, name="Hugo Host")
        people = [make_user(department=sales, name=n) for n in ("Mia Lin", "Noah Wu", "Olivia Ma")]
        done = make_challenge(
            hr,
            title="十一月冲刺",
            title_en="November sprint",
            ends_at=utcnow() + timedelta(hours=1),
            prizes=[PrizeFields(rank_from=1, rank_to=1, points=300, badge=True)],
        )
        lifecycle.keep_time(utcnow())
        for count, person in zip((3, 2, 1), people, strict=True):
            for _ in range(count):
                advance(make_referral(person), Stage.SCREENING, hr)
        lifecycle.keep_time(done.settles_at + timedelta(minutes=1))
        make_challenge(hr, title="年终冲刺", title_en="Year-end push")
        lifecycle.keep_time(utcnow())
        start = utcnow() + timedelta(days=3)
        make_challenge(
            hr, title="新春", title_en="Spring kick-off", starts_at=start,
            ends_at=start + timedelta(days=14),
        )  # fmt: skip
        make_challenge(
            host, title="销售部冲刺", title_en="Sales team sprint",
            people_scope="departments", department_ids=[sales.id],
        )  # fmt: skip
        dropped = make_challenge(hr, title="取消", title_en="Dropped idea")
        from community.challenges import services

        services.cancel_challenge(hr, dropped.id, "Budget moved to the spring campaign.")
        done_id = done.id

    for viewport, name in ((LAPTOP, "list-hr"), (PHONE, "list-hr-phone")):
        page = open_page("en", viewport)
        login(page, "hr@example.com")
        page.goto("/challenges/")
        for section in ("running", "upcoming", "unpublished", "past", "cancelled"):
            expect(page.get_by_test_id(f"section-{section}")).to_be_visible()
        expect(page.get_by_test_id("podium")).to_contain_text("Mia Lin")
        expect(page.get_by_test_id("section-cancelled")).to_contain_text("Budget moved")
        assert fits(page, viewport["width"])
        lang_screenshot(page, f"challenge-{name}", "en")

    page.goto(f"/challenges/{done_id}")
    expect(page.get_by_test_id("board-title")).to_contain_text("Final results")
    expect(page.get_by_test_id("winners")).to_contain_text("Mia Lin")
    lang_screenshot(page, "challenge-final-phone", "en")
