"""Browser journey of mentoring (老带新): a newcomer finds a mentor in the directory and asks with
a message, the mentor accepts from their mentoring page, sets a goal and writes a check-in (by
htmx, without leaving the page), the newcomer reads it and shares their progress; the newcomer's
manager cannot open the pairing. In English and Chinese, and at phone width, with screenshots."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.core.time import local_today
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_user
from tests.mentoring.factories import make_mentor

TEXT = {
    "en": {
        "dept": "Sales",
        "hr": "Hana HR",
        "mentor": "Mei Mentor",
        "newcomer": "Nina Newcomer",
        "manager": "Max Manager",
        "message": "I joined last month and have never referred anyone. Could you help me?",
        "goal": "A first referral within 30 days",
        "note": "We picked two open jobs that fit **Li's** background.",
    },
    "zh_CN": {
        "dept": "销售部",
        "hr": "林晓雯",
        "mentor": "王美",
        "newcomer": "李新",
        "manager": "陈经理",
        "message": "我上个月刚入职，还没有推荐过人，想请你带带我。",
        "goal": "30 天内完成第一次内推",
        "note": "一起挑了两个适合 **小李** 背景的岗位。",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"mentoring-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_newcomer_asks_the_mentor_accepts_and_they_check_in(app: Flask, open_page, lang: str):
    t = TEXT[lang]
    with app.test_request_context():
        sales = make_department(t["dept"])
        hr = make_user(Role.HR, sales, email="hr@example.com", name=t["hr"], locale=lang)
        manager = make_user(
            Role.MANAGER, sales, email="boss@example.com", name=t["manager"], locale=lang
        )
        make_mentor(
            make_user(
                Role.EMPLOYEE, sales, email="mentor@example.com", name=t["mentor"], locale=lang
            ),
            hr,
            topics="简历, Interview prep, Sales jobs",
        )
        make_user(
            Role.EMPLOYEE,
            sales,
            email="new@example.com",
            name=t["newcomer"],
            locale=lang,
            manager_id=manager.id,
        )

    newcomer = open_page(lang)
    login(newcomer, "new@example.com")
    newcomer.goto("/")
    newcomer.get_by_test_id("nav-club").click()
    newcomer.get_by_test_id("nav-mentoring").click()
    card = newcomer.get_by_test_id("mentor-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(t["mentor"])
    shot(newcomer, "directory", lang)
    card.get_by_test_id("ask-mentor").click()
    newcomer.get_by_test_id("send-request").click()  # empty: refused beside the field
    expect(newcomer.locator("#message-error")).to_be_visible()
    htmx_settled(newcomer)  # the refused form was swapped in: wait until htmx binds it again
    newcomer.fill("#message", t["message"])
    newcomer.get_by_test_id("send-request").click()
    expect(newcomer.get_by_test_id("my-request")).to_contain_text(t["mentor"])

    mentor = open_page(lang)
    login(mentor, "mentor@example.com")
    mentor.goto("/mentoring/")
    request = mentor.locator("[data-testid^=request-]")
    expect(request).to_contain_text(t["message"])
    shot(mentor, "request", lang)
    request.get_by_test_id("accept").click()
    expect(mentor.get_by_test_id("pairing-status")).to_be_visible()
    mentor.fill("#goal", t["goal"])
    mentor.fill("#goal_due_on", (local_today() + timedelta(days=30)).isoformat())
    mentor.get_by_test_id("save-goal").click()
    expect(mentor.get_by_test_id("goal")).to_have_text(t["goal"])
    htmx_settled(mentor)
    mentor.fill("#body", t["note"])
    mentor.get_by_test_id("add-note").click()
    expect(mentor.get_by_test_id("note")).to_have_count(1)
    expect(mentor.get_by_test_id("note").locator("strong")).to_be_visible()
    expect(mentor.locator("#body")).to_have_value("")
    expect(mentor.get_by_test_id("progress-hidden")).to_be_visible()
    mentor.wait_for_timeout(300)  # the toast settles for the picture
    shot(mentor, "pairing-mentor", lang)

    newcomer.goto("/mentoring/")
    newcomer.get_by_test_id("my-pairing").click()
    expect(newcomer.get_by_test_id("note")).to_contain_text(t["note"].replace("**", ""))
    newcomer.check("#share_referral_count")
    newcomer.get_by_test_id("save-sharing").click()
    expect(newcomer.get_by_test_id("progress-count")).to_be_visible()
    shot(newcomer, "pairing-mentee", lang)

    mentor.reload()
    expect(mentor.get_by_test_id("progress-count")).to_be_visible()
    expect(mentor.get_by_test_id("progress-stages")).to_have_count(0)

    boss = open_page(lang)
    login(boss, "boss@example.com")
    response = boss.goto(mentor.url)
    assert response is not None and response.status == 404
    expect(boss.locator("main")).not_to_contain_text(t["note"].replace("**", ""))

    # HR follows every pairing, and reads the check-ins too.
    hr_page = open_page(lang)
    login(hr_page, "hr@example.com")
    hr_page.goto("/mentoring/hr")
    expect(hr_page.get_by_test_id("active-pairs")).to_contain_text(t["newcomer"])
    expect(hr_page.get_by_test_id("active-pairs")).to_contain_text(t["goal"])
    shot(hr_page, "hr", lang)
    hr_page.get_by_test_id("active-pairs").get_by_role("link", name=t["newcomer"]).click()
    expect(hr_page.get_by_test_id("note")).to_have_count(1)
    expect(hr_page.get_by_test_id("note-form")).to_have_count(0)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "new@example.com")
    phone.goto(newcomer.url)
    expect(phone.get_by_test_id("goal")).to_have_text(t["goal"])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the pairing page scrolls sideways on a phone ({width}px)"
    shot(phone, "pairing-phone", lang)
