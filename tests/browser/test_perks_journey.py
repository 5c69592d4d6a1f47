"""Browser journey: an employee redeems an extra day of annual leave in the perk shop (htmx), HR
approves it on the redemptions page, and the employee's balance and "My points" show it. In
English and in Chinese, with screenshots of the shop, HR's pages and My points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.demo.data import PERKS
from community.perks import services as perk_services
from community.points.services import adjust_points
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_user

TEXT = {
    "en": {
        "dept": "Engineering",
        "hr": "Hannah HR",
        "employee": "Evan Employee",
        "leave": "Extra day of annual leave",
        "pending": "Waiting for approval",
        "fulfilled": "Fulfilled",
        "redeemed": "Redeemed Extra day of annual leave",
        "balance_after": "450 points",
        "my_points": "My points",
    },
    "zh_CN": {
        "dept": "研发中心",
        "hr": "韩梅梅",
        "employee": "李雷",
        "leave": "额外一天年假",
        "pending": "待审批",
        "fulfilled": "已兑现",
        "redeemed": "兑换了额外一天年假",
        "balance_after": "450 积分",
        "my_points": "我的积分",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"perks-{name}", lang)


def _shop(hr) -> None:
    for name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, category in PERKS:
        fields = perk_services.PerkFields(
            name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, True, category
        )
        perk_services.create_perk(hr, fields, None)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_an_employee_redeems_leave_and_hr_approves_it(app: Flask, open_page, lang: str):
    t = TEXT[lang]
    department = make_department(t["dept"])
    hr = make_user(role=Role.HR, email="hr@example.com", name=t["hr"], locale=lang)
    employee = make_user(
        email="emp@example.com", name=t["employee"], department=department, locale=lang
    )
    with app.test_request_context():
        _shop(hr)
        adjust_points(
            hr, employee, 750, "Referral fair 2026" if lang == "en" else "2026 内推招聘会"
        )

    mine = open_page(lang)
    mine.on("dialog", lambda dialog: dialog.accept())  # "Spend 300 points on …?"
    login(mine, "emp@example.com")
    mine.get_by_test_id("nav-perks").click()
    expect(mine.get_by_test_id("perk-card")).to_have_count(5)
    expect(mine.get_by_test_id("balance")).to_contain_text("750")
    shot(mine, "shop", lang)
    card = mine.get_by_test_id("perk-card").filter(has_text=t["leave"])
    htmx_settled(mine)
    card.get_by_test_id("redeem").click()
    expect(mine.get_by_test_id("balance")).to_contain_text(t["balance_after"])
    redemption = mine.get_by_test_id("my-redemption").first
    expect(redemption.get_by_test_id("redemption-status")).to_have_text(t["pending"])
    expect(mine.get_by_test_id("toast").first).to_be_visible()
    shot(mine, "shop-after-redeem", lang)

    hr_page = open_page(lang)
    login(hr_page, "hr@example.com")
    hr_page.goto("/perks/manage")
    expect(hr_page.get_by_test_id("perk-row")).to_have_count(5)
    shot(hr_page, "hr-manage", lang)
    hr_page.get_by_test_id("perk-row").filter(has_text=t["leave"]).get_by_test_id(
        "edit-perk"
    ).click()
    expect(hr_page.get_by_test_id("perk-form")).to_be_visible()
    shot(hr_page, "hr-edit", lang)
    hr_page.goto("/perks/redemptions?status=pending")
    row = hr_page.get_by_test_id("redemption-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(t["employee"])
    row.get_by_test_id("open-reject").click()
    expect(row.locator(".collapse")).to_have_class(re.compile(r"\bshow\b"))  # opened fully
    shot(hr_page, "hr-redemptions", lang)
    row.get_by_test_id("approve-redemption").click()
    expect(row.get_by_test_id("redemption-status")).to_have_text(t["fulfilled"])
    shot(hr_page, "hr-approved", lang)

    mine.reload()
    expect(
        mine.get_by_test_id("my-redemption").first.get_by_test_id("redemption-status")
    ).to_have_text(t["fulfilled"])
    mine.get_by_test_id("my-points-link").click()
    expect(mine.get_by_test_id("balance")).to_have_text("450")
    expect(mine.get_by_test_id("score")).to_have_text("750")
    entries = mine.get_by_test_id("points-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text(t["redeemed"])
    expect(entries.first.get_by_test_id("points-amount")).to_have_text("-300")
    shot(mine, "my-points", lang)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "emp@example.com")
    phone.goto("/perks/")
    expect(phone.get_by_test_id("perk-card")).to_have_count(5)
    shot(phone, "shop-phone", lang)
