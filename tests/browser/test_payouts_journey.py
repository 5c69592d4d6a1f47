"""Browser journey: HR approves a bonus payout and marks it paid in place (htmx) on the payouts
page, and the referrer sees it paid on "My payouts". In English and in Chinese, with screenshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.core.time import local_today
from community.referrals import services as referral_services
from community.referrals.models import Stage
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

TEXT = {
    "en": {
        "dept": "Engineering",
        "hr": "Hannah HR",
        "referrer": "Evan Employee",
        "job": "Senior Backend Engineer",
        "candidate": "Lin Wei",
        "my_payouts": "My payouts",
        "approved": "Approved",
        "paid": "Paid",
    },
    "zh_CN": {
        "dept": "研发中心",
        "hr": "韩梅梅",
        "referrer": "李雷",
        "job": "高级后端工程师",
        "candidate": "王小明",
        "my_payouts": "我的奖金",
        "approved": "已审批",
        "paid": "已发放",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"payouts-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_hr_marks_a_payout_paid_and_the_referrer_sees_it(app: Flask, open_page, lang: str):
    t = TEXT[lang]
    department = make_department(t["dept"])
    hr = make_user(role=Role.HR, email="hr@example.com", name=t["hr"], locale=lang)
    referrer = make_user(
        email="emp@example.com", name=t["referrer"], department=department, locale=lang
    )
    job = make_job(title=t["job"], department=department, bonus_minor=1000001)
    with app.test_request_context():
        referral = make_referral(referrer, job, candidate_name=t["candidate"])
        for stage in (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
            referral_services.advance_stage(
                referral, stage, hr, expected_from=referral.stage, start_date=local_today()
            )

    hr_page = open_page(lang)
    login(hr_page, "hr@example.com")
    hr_page.goto("/payouts/")
    htmx_settled(hr_page)  # a click before htmx and Bootstrap are ready is lost under load
    row = hr_page.get_by_test_id("payout-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("payout-amount")).to_contain_text("3,000.00")  # 30% of 10,000.01
    row.get_by_test_id("open-payout-actions").click()
    expect(row.get_by_test_id("approve-payout")).to_be_visible()
    row.get_by_test_id("approve-payout").click()
    expect(row.get_by_test_id("payout-status")).to_have_text(t["approved"])
    htmx_settled(hr_page)  # the swapped row keeps the old panel's classes until it settles
    row.get_by_test_id("open-payout-actions").click()
    row.get_by_test_id("payroll-reference").fill("PR-2026-11-0007")
    expect(row.locator(".collapse")).to_have_class(re.compile(r"\bshow\b"))  # opened fully
    shot(hr_page, "hr-mark-paid", lang)
    row.get_by_test_id("mark-paid").click()
    expect(row.get_by_test_id("payout-status")).to_have_text(t["paid"])
    expect(row).to_contain_text("PR-2026-11-0007")
    shot(hr_page, "hr-paid", lang)

    mine = open_page(lang)
    login(mine, "emp@example.com")
    htmx_settled(mine)  # the menu needs Bootstrap, a deferred script
    mine.get_by_test_id("nav-user-menu").click()
    mine.get_by_role("link", name=t["my_payouts"]).first.click()
    payout = mine.locator("[data-testid=share][data-stage=hired]")
    expect(payout).to_have_count(1)
    # The share after probation is still ahead, with its date (issue 11 §14).
    expect(mine.locator("[data-testid=share][data-stage=probation_passed]")).to_have_attribute(
        "data-state", "upcoming"
    )
    expect(payout.get_by_test_id("payout-status")).to_have_text(t["paid"])
    expect(payout.get_by_test_id("next-step")).to_contain_text("PR-2026-11-0007")
    expect(mine.get_by_test_id("total-paid")).to_contain_text("3,000.00")
    shot(mine, "mine", lang)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "emp@example.com")
    phone.goto("/payouts/mine")
    expect(phone.get_by_test_id("share")).to_have_count(2)
    shot(phone, "mine-phone", lang)
