"""Browser: a candidate opens a referrer's personal link, switches the page to Chinese, agrees to
the privacy notice and applies; the referrer opens "My links" and the referral, which came by
"Personal link". Screenshots of the public job page on a desktop and on a phone, and of "My
links"."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.extensions import db
from community.links import services
from community.referrals.models import Referral, ReferralSource
from tests.browser.conftest import htmx_settled, login, screenshot
from tests.browser.test_referral_journey import small_pdf
from tests.factories import make_job, make_user


def _job():
    return make_job(
        title="支付平台后端工程师",
        title_en="Payments platform engineer",
        location="上海",
        location_en="Shanghai",
        description="负责**支付核心**服务的设计与开发，与风控、财务团队紧密合作。",
        description_en="Design and build the **payments core** with the risk and finance teams.",
        competencies=["系统设计", "责任心"],
        competencies_en=["System design", "Ownership"],
        challenges="大促期间需要值班，节奏较快。",
        challenges_en="On call during big sales; the pace is fast.",
    )


def test_a_candidate_applies_through_a_personal_link(open_page, tmp_path: Path) -> None:
    referrer = make_user(name="王小明", email="xiaoming.links@example.com", locale="en")
    job = _job()
    code = services.code_of(referrer)

    candidate: Page = open_page("en", {"width": 1366, "height": 900})
    candidate.goto(f"/r/{code.code}/{job.id}")
    expect(candidate.get_by_test_id("job-title")).to_have_text("Payments platform engineer")
    expect(candidate.get_by_test_id("referred-by")).to_contain_text("小明 is referring you")
    expect(candidate.get_by_test_id("why-referral")).to_contain_text("Priority screening")
    screenshot(candidate, "links-job-page-desktop-en")

    # The candidate reads Chinese better: the language switch keeps them on the page.
    candidate.click("[data-testid=language-switcher] button[value=zh_CN]")
    expect(candidate.get_by_test_id("job-title")).to_have_text("支付平台后端工程师")
    expect(candidate.get_by_test_id("referred-by")).to_contain_text("小明")
    screenshot(candidate, "links-job-page-desktop-zh")

    candidate.fill("#name", "李娜")
    candidate.fill("#email", "li.na.candidate@example.org")
    candidate.fill("#phone", "139 1234 5678")
    resume = tmp_path / "李娜-简历.pdf"
    resume.write_bytes(small_pdf())
    candidate.set_input_files("#resume", str(resume))
    # Without consent nothing is kept, and the page says so.
    candidate.click("[data-testid=apply-button]")
    expect(candidate.locator("#consent-error")).to_be_visible()
    assert db.session.scalars(select(Referral)).first() is None
    candidate.set_input_files("#resume", str(resume))
    candidate.check("#consent")
    candidate.click("[data-testid=apply-button]")
    expect(candidate.get_by_test_id("application-received")).to_be_visible()
    expect(candidate.locator("html")).to_have_attribute("lang", "zh-CN")

    referral = db.session.scalars(select(Referral)).one()
    assert (referral.referrer_id, referral.source) == (referrer.id, ReferralSource.LINK)
    assert referral.candidate.locale == "zh_CN"

    page: Page = open_page("en", {"width": 1366, "height": 900})
    login(page, referrer.email)
    page.wait_for_selector("[data-testid=nav-notifications]")
    page.goto("/links/mine")
    row = page.locator(f"#job-{job.id}")
    expect(row.get_by_test_id("link-counts")).to_contain_text("1 visitor")
    expect(row.get_by_test_id("link-counts")).to_contain_text("1 application")
    row.locator("summary").click()
    expect(row.get_by_test_id("qr")).to_be_visible()
    screenshot(page, "links-my-links-en")

    page.goto(f"/referrals/{referral.id}")
    htmx_settled(page)
    expect(page.get_by_test_id("referral-source")).to_have_text("Personal link")
    expect(page.get_by_test_id("applied-note")).to_be_visible()
    expect(page.get_by_test_id("own-reason-form")).to_be_visible()
    screenshot(page, "links-referral-page-en")


def test_the_public_job_page_on_a_phone(open_page) -> None:
    referrer = make_user(name="赵丽娜", email="lina.links@example.com")
    job = _job()
    code = services.code_of(referrer)
    phone: Page = open_page("zh_CN", {"width": 390, "height": 844})
    phone.goto(f"/r/{code.code}/{job.id}")
    expect(phone.get_by_test_id("job-title")).to_have_text("支付平台后端工程师")
    expect(phone.get_by_test_id("referred-by")).to_contain_text("丽娜")
    # Nothing is wider than the phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "links-job-page-phone-zh")
    phone.goto(f"/r/{code.code}")
    screenshot(phone, "links-code-page-phone-zh")
    phone.goto("/r/ABCD2345")
    expect(phone.get_by_test_id("link-not-found")).to_be_visible()
    phone.goto("/careers")
    screenshot(phone, "links-careers-phone-zh")
