"""Browser pages for the program rules: HR edits them (a split that does not add up first), and
everyone reads them, in English and Chinese and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from community.accounts.models import Role
from tests.browser.conftest import login
from tests.browser.conftest import screenshot as save_screenshot
from tests.factories import make_department, make_user

CHINESE = re.compile(r"[\u4e00-\u9fff]")  # the page speaks Chinese


def screenshot(page, name: str) -> None:
    """Save a screenshot from the top of the page once the icon font has loaded (no missing icons)."""
    page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    save_screenshot(page, name)


def test_hr_edits_the_rules_in_chinese(page, live_server):
    research = make_department("研发中心")
    make_department("市场部")
    hr = make_user(
        role=Role.HR, email="hr.zh@example.com", name="王芳", department=research, locale="zh_CN"
    )
    login(page, hr.email)
    page.goto("/program/rules/edit")
    expect(page.locator("h1").first).to_have_text(CHINESE)
    screenshot(page, "program-edit-rules-zh")

    page.fill("#split_hired", "50")
    page.click("[data-testid=save-rules]")
    expect(page.locator("[data-testid=split-error]")).to_contain_text("120")
    expect(page.locator("[data-testid=form-errors] a")).to_have_count(1)
    screenshot(page, "program-edit-rules-errors-zh")

    # Only one department may refer; the published page names it.
    page.fill("#split_probation_passed", "50")
    page.check("#scope-1")
    page.check("[data-testid=department-checkboxes] label:has-text('研发中心')")
    page.click("[data-testid=save-rules]")
    page.wait_for_selector("[data-testid=rules-bonus]")
    expect(page.locator("[data-testid=rules-eligibility]")).to_contain_text("研发中心")
    expect(page.locator("[data-testid=rules-eligibility]")).not_to_contain_text("市场部")
    screenshot(page, "program-rules-hr-zh")


def test_employee_reads_the_rules_on_a_phone(page, live_server):
    employee = make_user(email="emp@example.com", name="Evan Employee")
    login(page, employee.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/program/rules")
    expect(page.locator("[data-testid=rules-bonus]")).to_contain_text(
        "when your candidate is hired"
    )
    screenshot(page, "program-rules-mobile-en")
