"""Browser journey of a one-click invitation: a referrer invites a former colleague by e-mail from
a job's page; the candidate opens the link from the outbox (no account), consents and applies
with a resume; the referrer sees the invitation accepted and the referral it became, with its
source "Invitation". Screenshots of the candidate's page and the referrer's list."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.mail.models import OutboundEmail
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import PDF_BYTES

TEXT = {
    "en": {
        "referrer": "Wei Zhang",
        "first": "Wei",
        "candidate": "Li Lei",
        "note": "We shipped the payments migration together. This team would suit you.",
        "title": "Backend Engineer",
        "source": "Invitation",
    },
    "zh_CN": {
        "referrer": "王小明",
        "first": "小明",
        "candidate": "李雷",
        "note": "我们一起做过支付系统迁移，这个团队很适合你。",
        "title": "后端工程师",
        "source": re.compile("邀请|Invitation"),  # the catalogs gain the word with the lead
    },
}


def _link_in_outbox(address: str) -> str:
    mail = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.to_address == address)
    ).one()
    found = re.search(r"https?://[^/\s]+(/i/[A-Za-z0-9_.\-]+)", mail.text_body)
    assert found, mail.text_body
    return found.group(1)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_referrer_invites_and_the_candidate_consents_and_applies(
    app: Flask, open_page, lang: str
) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        engineering = make_department("技术研发部" if lang == "zh_CN" else "Engineering")
        make_user(Role.HR, engineering, email="hr@example.com", name="Hana HR", locale=lang)
        make_user(
            Role.EMPLOYEE, engineering, email="wei@example.com", name=t["referrer"], locale=lang
        )
        job = make_job(engineering, title="后端工程师", title_en="Backend Engineer")
        job_id = job.id

    referrer = open_page(lang)
    login(referrer, "wei@example.com")
    referrer.goto(f"/jobs/{job_id}")
    referrer.get_by_test_id("invite-button").click()
    form = referrer.get_by_test_id("invite-form")
    expect(form.locator("select[name=job_id]")).to_have_value(str(job_id))
    form.locator("input[name=contact]").fill("not-an-address@")
    form.locator("button[type=submit]").click()
    expect(referrer.locator("#contact-error")).to_be_visible()  # refused beside the field
    form = referrer.get_by_test_id("invite-form")
    form.locator("input[name=contact]").fill("li.lei@example.org")
    form.locator(f"input[name=locale][value={lang}]").check()
    form.locator("textarea[name=note]").fill(t["note"])
    lang_screenshot(referrer, "invites-new", lang)
    form.locator("button[type=submit]").click()
    row = referrer.get_by_test_id("invitation-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("invitation-status")).to_have_attribute("data-status", "pending")
    expect(row.get_by_test_id("invitation-contact")).to_have_text("li.lei@example.org")
    lang_screenshot(referrer, "invites-mine-pending", lang)

    with app.app_context():
        link = _link_in_outbox("li.lei@example.org")

    candidate = open_page("en")  # their browser says English: the page follows the invitation
    candidate.goto(link[:-4] + "xxxx")  # a link mangled on its way: a clear page, not an error
    expect(candidate.get_by_test_id("invitation-unavailable")).to_be_visible()
    lang_screenshot(candidate, "invites-forged", lang)
    candidate.goto(link)
    page = candidate.get_by_test_id("invitation-page")
    expect(page).to_contain_text(t["title"])
    expect(page).to_contain_text(t["note"])
    expect(page.get_by_test_id("why-referral")).to_be_visible()
    expect(candidate.locator("html")).to_have_attribute(
        "lang", "zh-CN" if lang == "zh_CN" else "en"
    )
    assert t["referrer"] not in page.inner_text() or t["referrer"] == t["first"]
    expect(page).to_contain_text(t["first"])
    lang_screenshot(candidate, "invites-candidate", lang)
    # The page's own script tells the referrer it was opened (a mail scanner's fetch does not).
    referrer.goto("/invites/")
    expect(
        referrer.get_by_test_id("invitation-row").get_by_test_id("invitation-status")
    ).to_have_attribute("data-status", "opened")
    phone = open_page("en", {"width": 390, "height": 844})  # most open it on a phone
    phone.goto(link)
    expect(phone.get_by_test_id("accept-form")).to_be_visible()
    lang_screenshot(phone, "invites-candidate-phone", lang)

    accept = candidate.get_by_test_id("accept-form")
    expect(accept.locator("input[name=email]")).to_have_value("li.lei@example.org")
    accept.locator("input[name=name]").fill(t["candidate"])
    accept.locator("input[name=resume]").set_input_files(
        {"name": "resume.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    accept.get_by_test_id("accept").click()  # without consent first: refused, file kept
    expect(candidate.locator("#consent-error")).to_be_visible()
    expect(candidate.get_by_test_id("kept-resume")).to_have_count(0)  # no consent: not kept
    accept = candidate.get_by_test_id("accept-form")
    accept.locator("input[name=resume]").set_input_files(
        {"name": "resume.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    accept.locator("input[name=consent]").check()
    accept.get_by_test_id("accept").click()
    expect(candidate.get_by_test_id("received")).to_be_visible()

    referrer.goto("/invites/")
    row = referrer.get_by_test_id("invitation-row")
    expect(row.get_by_test_id("invitation-status")).to_have_attribute("data-status", "accepted")
    expect(row.get_by_test_id("invitation-contact")).to_have_text("l***@example.org")
    lang_screenshot(referrer, "invites-mine", lang)
    row.get_by_test_id("invitation-referral").click()
    expect(referrer.get_by_test_id("referral-source")).to_have_text(t["source"])
    expect(referrer.locator("main")).to_contain_text(t["candidate"])
    lang_screenshot(referrer, "invites-referral", lang)
