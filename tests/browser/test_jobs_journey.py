"""Browser journey: HR publishes a job with a full profile; an employee finds it and reads it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from community.accounts.models import Role
from tests.browser.conftest import htmx_settled, login
from tests.browser.conftest import screenshot as save_screenshot
from tests.factories import make_department, make_job, make_user

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

CHINESE = re.compile(r"[\u4e00-\u9fff]")  # the page speaks Chinese


def screenshot(page, name: str) -> None:
    """Save a screenshot from the top of the page once the icon font has loaded (no missing icons)."""
    page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    save_screenshot(page, name)


def search_for_nothing(page) -> None:
    page.fill("#job-search", "no-such-job-anywhere")
    page.wait_for_selector("[data-testid=no-jobs]")


def test_hr_publishes_a_job_and_an_employee_finds_it(page, live_server):
    engineering = make_department("Engineering")
    marketing = make_department("Marketing")
    hr = make_user(role=Role.HR, email="hr@example.com", name="Hannah HR", department=marketing)
    make_user(
        role=Role.MANAGER, email="mgr@example.com", name="Ming Manager", department=engineering
    )
    employee = make_user(email="emp@example.com", name="Evan Employee", department=engineering)
    make_job(title="Brand Strategist", department=marketing, location="Beijing")
    make_job(title="QA Engineer", department=engineering, location="Shenzhen")

    # HR creates and opens a job with a full profile.
    login(page, hr.email)
    page.goto("/jobs/new")
    htmx_settled(page)  # under load a click before the page's scripts are ready is lost
    page.fill("#title", "Senior Backend Engineer")
    page.select_option("#department_id", label="Engineering")
    page.fill("#location", "Shanghai")
    page.select_option("#family", "engineering")
    page.select_option("#hiring_manager_id", label="Ming Manager · mgr@example.com")
    page.fill(
        "#description",
        "Build the services behind our **referral platform**.\n\n"
        "- Design APIs used by 5,000 employees\n- Own reliability end to end",
    )
    page.fill("#competencies", "System design\nOwnership of production services\nMentoring")
    page.select_option("#education", "bachelor")
    page.fill("#min_years", "5")
    page.fill("#skills", "Python\nPostgreSQL\nRedis")
    page.fill("#certificates", "AWS Solutions Architect")
    page.fill("#soft_traits", "Clear written communication\nResilience under pressure\nTeamwork")
    page.fill("#challenges", "On-call one week in six; a legacy billing module to untangle.")
    page.fill("#bonus_amount", "12000")
    expect(page.locator("#hard_to_fill")).to_be_enabled()
    page.check("#hard_to_fill")
    screenshot(page, "jobs-new-form-en")
    page.click("[data-testid=save-open]")
    page.wait_for_selector("[data-testid=job-title]")
    assert "Senior Backend Engineer" in page.inner_text("[data-testid=job-title]")
    screenshot(page, "jobs-detail-hr-en")

    page.goto(page.url + "/edit")
    page.wait_for_selector("[data-testid=job-form]")
    screenshot(page, "jobs-edit-form-en")

    page.goto("/jobs/manage")
    screenshot(page, "jobs-manage-en")
    # Close and reopen in place (htmx).
    row = page.locator("tr", has_text="QA Engineer")
    row.locator("button", has_text="Close").click()
    page.wait_for_selector("tr:has-text('QA Engineer') button:has-text('Reopen')")
    screenshot(page, "jobs-manage-after-close-en")

    page.goto("/jobs/new")
    page.fill("#bonus_amount", "-5")
    page.click("[data-testid=save-open]")
    page.wait_for_selector("[data-testid=form-errors]")
    screenshot(page, "jobs-new-errors-en")

    page.goto("/program/rules/edit")
    screenshot(page, "program-edit-rules-en")
    page.fill("#split_hired", "40")
    page.click("[data-testid=save-rules]")
    page.wait_for_selector("[data-testid=split-error]")
    screenshot(page, "program-edit-rules-errors-en")
    page.fill("#split_probation_passed", "60")
    page.click("[data-testid=save-rules]")
    page.wait_for_selector("[data-testid=rules-bonus]")
    assert "40% when your candidate is hired" in page.content()
    screenshot(page, "program-rules-hr-en")

    # The employee finds the job through the filters (live, via htmx) and reads it.
    page.context.clear_cookies()
    login(page, employee.email)
    page.goto("/jobs/")
    screenshot(page, "jobs-index-en")
    page.fill("#job-search", "postgres")
    expect(page.locator("[data-testid=job-card]")).to_have_count(
        2
    )  # factory jobs list PostgreSQL too
    page.select_option("#job-location", "Shanghai")
    page.wait_for_url("**location=Shanghai**")
    htmx_settled(page)  # a click while the filter request is in flight can be lost
    page.check("#job-hard")
    page.wait_for_url("**hard_to_fill=1**")
    cards = page.locator("[data-testid=job-card]")
    expect(cards).to_have_count(1)
    assert "Senior Backend Engineer" in cards.first.inner_text()
    screenshot(page, "jobs-index-filtered-en")
    cards.first.click()
    page.wait_for_selector("[data-testid=refer-button]")
    assert "What a strong referral looks like" in page.content()
    screenshot(page, "jobs-detail-employee-en")
    page.goto("/program/rules")
    screenshot(page, "program-rules-employee-en")

    page.goto("/jobs/")
    search_for_nothing(page)
    screenshot(page, "jobs-index-empty-en")

    page.set_viewport_size(PHONE)
    page.goto("/jobs/")
    screenshot(page, "jobs-index-mobile-en")
    page.click("text=Senior Backend Engineer")
    page.wait_for_selector("[data-testid=bonus-card]")
    screenshot(page, "jobs-detail-mobile-en")


def test_job_pages_hold_their_layout_in_chinese(page, live_server):
    department = make_department("研发中心")
    user = make_user(email="zh@example.com", name="李雷", department=department, locale="zh_CN")
    make_job(
        title="高级后端工程师",
        department=department,
        location="上海",
        skills=["Python", "分布式系统"],
        competencies=["系统设计", "推动落地"],
        soft_traits=["沟通能力", "抗压能力"],
        challenges="项目节奏快，偶尔需要加班。",
        hard_to_fill=True,
    )
    make_job(title="市场专员", department=department, location="北京", skills=["内容策划"])
    login(page, user.email)
    page.goto("/jobs/")
    screenshot(page, "jobs-index-zh")
    page.click("text=高级后端工程师")
    page.wait_for_selector("[data-testid=bonus-card]")
    screenshot(page, "jobs-detail-zh")
    page.goto("/program/rules")
    screenshot(page, "program-rules-zh")
    page.goto("/jobs/")
    search_for_nothing(page)
    screenshot(page, "jobs-index-empty-zh")

    page.set_viewport_size(PHONE)
    page.goto("/jobs/")
    screenshot(page, "jobs-index-mobile-zh")
    page.click("text=高级后端工程师")
    page.wait_for_selector("[data-testid=bonus-card]")
    screenshot(page, "jobs-detail-mobile-zh")
    page.goto("/program/rules")
    screenshot(page, "program-rules-mobile-zh")


def test_hr_job_pages_in_chinese(page, live_server):
    department = make_department("研发中心")
    hr = make_user(
        role=Role.HR, email="hr.zh@example.com", name="王芳", department=department, locale="zh_CN"
    )
    make_job(title="高级后端工程师", department=department, location="上海", hard_to_fill=True)
    make_job(title="市场专员", department=department, location="北京", bonus_minor=0)
    login(page, hr.email)
    page.goto("/jobs/manage")
    expect(page.locator("h1").first).to_have_text(CHINESE)
    screenshot(page, "jobs-manage-zh")
    page.goto("/jobs/new")
    screenshot(page, "jobs-new-form-zh")
    page.fill("#bonus_amount", "-5")
    page.click("[data-testid=save-open]")
    page.wait_for_selector("[data-testid=form-errors]")
    screenshot(page, "jobs-new-errors-zh")

    page.set_viewport_size(PHONE)
    page.goto("/jobs/manage")
    screenshot(page, "jobs-manage-mobile-zh")
    page.set_viewport_size(DESKTOP)
