"""Browser: a referral form refused for a missing field keeps the resume that was chosen; the
referrer fixes the field and submits without choosing the file again, and the referral has it.
Screenshots of the re-rendered form at 1366 and 375 px, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.extensions import db
from community.jobs.models import hard_requirements
from community.referrals.models import Referral
from tests.browser.conftest import ARTIFACTS, htmx_settled, lang_screenshot, login
from tests.browser.test_referral_journey import small_pdf
from tests.factories import make_job, make_user

NAMES = {
    "en": ("Ada Lovelace", "Ada Lovelace - CV (2026 final version).pdf"),
    "zh_CN": ("王小明", "王小明的简历（2026 最终版）.pdf"),
}


def lang_screenshot_path(name: str, lang: str) -> Path:
    return ARTIFACTS / f"referral-{name}-{'zh' if lang == 'zh_CN' else 'en'}.png"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_missing_field_does_not_lose_the_chosen_resume(
    open_page, tmp_path: Path, lang: str
) -> None:
    candidate, filename = NAMES[lang]
    employee = make_user(email=f"keeper-{lang}@example.com", locale=lang)
    job = make_job(title="Platform Engineer" if lang == "en" else "平台工程师")
    page: Page = open_page(lang, {"width": 1366, "height": 900})
    login(page, employee.email)
    page.wait_for_selector("[data-testid=nav-notifications]")

    page.goto(f"/referrals/new/{job.id}")
    page.wait_for_selector("[data-testid=referral-form]")
    htmx_settled(page)
    # Everything but the candidate's name, with a resume.
    page.fill("#email", f"ada.{lang}@example.org")
    page.select_option("#relationship", "former_colleague")
    page.select_option("#known_for", "3_5")
    for i in range(len(hard_requirements(job))):
        page.click(f"input[name=hard_{i}][value=meets] + label")
    for i in range(len(job.soft_traits or [])):
        page.click(f"label[for=soft_{i}-3]")
    page.fill(
        "#fit_reason",
        "Built the billing platform at her last company and mentors juniors patiently; "
        "clear writer, calm on call.",
    )
    resume = tmp_path / filename
    resume.write_bytes(small_pdf())
    page.set_input_files("#resume", str(resume))
    page.check("#consent")
    page.click("[data-testid=submit-referral]")

    # Refused for the name, the resume kept and said so.
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    expect(page.locator("#candidate_name")).to_have_class("form-control is-invalid")
    expect(page.locator("[data-testid=resume-kept-name]")).to_have_text(filename)
    htmx_settled(page)
    section = page.locator("section", has=page.locator("[data-testid=resume-kept]"))
    lang_screenshot(page, "referral-new-resume-kept-1366", lang)
    section.screenshot(path=str(lang_screenshot_path("resume-kept-section-1366", lang)))
    page.set_viewport_size({"width": 375, "height": 812})
    lang_screenshot(page, "referral-new-resume-kept-375", lang)
    section.screenshot(path=str(lang_screenshot_path("resume-kept-section-375", lang)))
    page.set_viewport_size({"width": 1366, "height": 900})

    # Fixed, submitted without choosing the file again: the referral has the same resume.
    page.fill("#candidate_name", candidate)
    page.click("[data-testid=submit-referral]")
    page.wait_for_selector("[data-testid=timeline]")
    referral = db.session.scalars(select(Referral).where(Referral.referrer_id == employee.id)).one()
    assert referral.candidate.name == candidate
    assert referral.resume_filename == filename
    with page.expect_download() as download_info:
        page.click("[data-testid=resume-download]")
    assert Path(download_info.value.path()).read_bytes() == resume.read_bytes()
