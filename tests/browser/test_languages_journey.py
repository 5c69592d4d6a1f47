"""Browser journey: HR writes a job and a department in Chinese and English; an English reader sees
English, and the Chinese (marked lang="zh") where the English is missing. Screenshots at a laptop's
width and a phone's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.accounts.models import Role
from tests.browser.conftest import htmx_settled, login, screenshot
from tests.factories import make_department, make_job, make_user


@pytest.mark.parametrize("width", [1366, 375])
def test_a_job_in_two_languages_reads_in_each(open_page, width: int):
    department = make_department("技术研发部")
    hr = make_user(role=Role.HR, email="hr@example.com", locale="en", department=department)
    make_user(email="emp@example.com", locale="en", department=department)
    make_user(email="zh@example.com", locale="zh_CN", department=department)
    make_job(
        title="测试开发工程师",
        department=department,
        location="杭州",
        skills=["Python", "接口自动化"],
        soft_traits=["责任心"],
    )  # only in Chinese, as before this change

    # HR gives the department its English name and writes a new job in both languages.
    hr_page = open_page("en", {"width": width, "height": 900})
    login(hr_page, hr.email)
    hr_page.goto("/people/departments")
    hr_page.get_by_test_id("edit-department").first.click()
    hr_page.fill("#name_en", "Engineering")
    hr_page.click("form[data-testid=department-form] button[type=submit]")
    expect(hr_page.get_by_test_id("department").first).to_contain_text("Engineering")
    screenshot(hr_page, f"departments-two-languages-{width}")

    hr_page.goto("/jobs/new")
    htmx_settled(hr_page)
    hr_page.fill("#title", "高级后端工程师")
    hr_page.fill("#title_en", "Senior backend engineer")
    hr_page.fill("#location", "上海")
    hr_page.fill("#location_en", "Shanghai")
    hr_page.select_option("#department_id", label="Engineering")
    hr_page.fill("#skills", "Go\n分布式系统")
    hr_page.fill("#skills_en", "\nDistributed systems")
    hr_page.fill("#soft_traits", "沟通能力")
    hr_page.fill("#soft_traits_en", "Communication")
    hr_page.fill("#description", "负责核心服务。")
    hr_page.fill("#description_en", "Own the core services.")
    hr_page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    screenshot(hr_page, f"jobs-form-two-languages-{width}")
    hr_page.click("[data-testid=save-open]")
    expect(hr_page.get_by_test_id("job-title")).to_have_text("Senior backend engineer")

    # An English reader: English where there is English, the Chinese marked lang="zh" elsewhere.
    page = open_page("en", {"width": width, "height": 900})
    login(page, "emp@example.com")
    page.goto("/jobs/")
    htmx_settled(page)
    cards = page.get_by_test_id("job-card")
    expect(cards).to_have_count(2)
    expect(
        page.get_by_test_id("job-card-title").filter(has_text="Senior backend engineer")
    ).to_have_count(1)
    fallback = page.locator("[data-testid=job-card-title] span[lang=zh]")
    expect(fallback).to_have_text("测试开发工程师")
    expect(cards.first).to_contain_text("Engineering")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"jobs-list-english-reader-{width}")
    cards.filter(has_text="Senior backend engineer").click()
    expect(page.get_by_test_id("job-title")).to_have_text("Senior backend engineer")
    expect(page.locator("body")).to_contain_text("Distributed systems")
    expect(page.locator("body")).to_contain_text("Shanghai")
    screenshot(page, f"jobs-detail-english-reader-{width}")

    # A Chinese reader sees Chinese.
    zh = open_page("zh_CN", {"width": width, "height": 900})
    login(zh, "zh@example.com")
    zh.goto("/jobs/")
    htmx_settled(zh)
    expect(zh.get_by_test_id("job-card-title").filter(has_text="高级后端工程师")).to_have_count(1)
    expect(zh.locator("body")).not_to_contain_text("Senior backend engineer")
    screenshot(zh, f"jobs-list-chinese-reader-{width}")
