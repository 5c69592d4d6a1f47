"""Browser journey of the private network: an employee imports contacts from a CSV file (a
preview first, then the confirmation), HR opens a job, the worker suggests contacts that fit it,
the employee follows the notification to the suggestions and drafts a message with the outreach
coach, then rewrites it and is warned that it oversells. In English and in Chinese, with
screenshots of each page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.jobs.models import JobFamily, JobStatus
from community.worker import duties
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_department, make_job, make_user

CSV = (
    "姓名,关系,亲密度,技能,行业,职业诉求,最近联系,邮箱,手机\n"
    '李强,前同事（订单系统）,亲密,"Go, Kafka",电商,带团队,2026-01-15,li.qiang@example.com,13812340001\n'
    'Emma Chen,GopherChina meetup,ordinary,"Go, Kubernetes",cloud,remote work,,emma@example.org,\n'
    "周婷,大学同学,close,React,在线教育,前端架构,,,\n"
    "No Mail,,,Go,,,,not-an-address,\n"
)
TEXT = {
    "en": {"reason": "you told me you want to build payment systems at scale", "hi": "Hi 李强,"},
    "zh_CN": {"reason": "你去年说想做支付方向的架构", "hi": "李强，你好！"},
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"network-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_an_employee_imports_gets_a_suggestion_and_drafts_a_message(
    app: Flask, open_page, lang: str
) -> None:
    suffix = lang.lower()
    with app.test_request_context():
        department = make_department(f"Engineering {suffix}")
        hr = make_user(Role.HR, department, email=f"hr-{suffix}@example.com", locale=lang)
        make_user(
            Role.EMPLOYEE,
            department,
            email=f"ann-{suffix}@example.com",
            name="Ann Employee",
            locale=lang,
        )
        job = make_job(
            department,
            status=JobStatus.DRAFT,
            title="支付后端工程师",
            title_en="Payments backend engineer",
            family=JobFamily.ENGINEERING,
            skills=["Go", "Kafka"],
            competencies=["高并发系统设计"],
            competencies_en=["High-concurrency system design"],
            challenges="大促期间需要值班。",
            challenges_en="You join the on-call rota during big sales.",
        )

    # The employee imports a CSV: the preview says what happens; nothing is saved before it.
    ann = open_page(lang)
    login(ann, f"ann-{suffix}@example.com")
    ann.goto("/network/")
    expect(ann.get_by_test_id("network-empty")).to_be_visible()
    shot(ann, "empty", lang)
    ann.goto("/network/import")
    ann.set_input_files(
        "input[name=file]",
        files=[{"name": "contacts.csv", "mimeType": "text/csv", "buffer": CSV.encode("gbk")}],
    )
    ann.get_by_test_id("preview-import").click()
    expect(ann.get_by_test_id("preview-added-row")).to_have_count(3)
    expect(ann.get_by_test_id("preview-rejected-row")).to_have_count(1)
    expect(ann.get_by_test_id("preview-rejected-row")).to_contain_text("not-an-address")
    shot(ann, "import-preview", lang)
    ann.get_by_test_id("confirm-import").click()
    expect(ann.get_by_test_id("contact-row")).to_have_count(3)
    shot(ann, "contacts", lang)

    # HR opens the job; the worker's next tick matches it against everyone's network.
    hr_page = open_page(lang)
    login(hr_page, hr.email)
    hr_page.goto(f"/jobs/{job.id}")
    hr_page.locator(f"form[action='/jobs/{job.id}/open'] button").click()
    expect(hr_page.get_by_test_id("job-title")).to_be_visible()
    with app.app_context():
        assert duties.run_due()["network.suggest"] == 1

    # The employee is told how many of their contacts may fit, and follows it.
    ann.goto("/notifications/")
    told = ann.get_by_test_id("notification-unread")
    expect(told.get_by_test_id("notification-text")).to_contain_text("2")
    if lang == "en":
        expect(told).to_contain_text("2 of your contacts may fit Payments backend engineer.")
    shot(ann, "notification", lang)
    told.get_by_test_id("open-notification").click()
    expect(ann.get_by_test_id("suggestion")).to_have_count(2)
    expect(ann.get_by_test_id("suggestion").first).to_contain_text("李强")
    shot(ann, "suggestions", lang)

    # One click into the coach for the closest fit; the coach drafts a personal message.
    ann.get_by_test_id("suggestion").first.get_by_test_id("draft-for").click()
    expect(ann.get_by_test_id("coach-contact")).to_contain_text("李强")
    ann.fill("#reason", TEXT[lang]["reason"])
    ann.select_option("#language", "en" if lang == "en" else "zh")
    ann.get_by_test_id("draft").click()
    message = ann.locator("#message")
    expect(ann.get_by_test_id("channel")).to_be_visible()
    expect(ann.get_by_test_id("talking-points")).to_be_visible()  # close: call or meet
    expect(ann.locator("[data-testid=checklist] [data-done=yes]")).to_have_count(3)
    assert message.input_value().startswith(TEXT[lang]["hi"])
    assert TEXT[lang]["reason"] in message.input_value()
    assert (
        ann.get_by_test_id("mailto").get_attribute("href").startswith("mailto:li.qiang@example.com")
    )
    shot(ann, "coach-draft", lang)

    # A rewrite that promises too much is flagged when checked again.
    message.fill(
        message.input_value()
        + ("\n\nIt's 100% guaranteed!" if lang == "en" else "\n\n包过，一定能拿到 offer！")
    )
    ann.get_by_test_id("check").click()
    expect(ann.get_by_test_id("warning-oversell")).to_be_visible()
    shot(ann, "coach-oversell", lang)

    ann.set_viewport_size({"width": 390, "height": 844})
    shot(ann, "coach-phone", lang)
    ann.goto("/network/")
    shot(ann, "contacts-phone", lang)


def test_the_referrer_follows_the_line_to_the_follow_up_coach(app: Flask, open_page) -> None:
    from community.pipeline import Stage
    from tests.pipeline import advance
    from tests.referrals.factories import make_referral

    with app.test_request_context():
        department = make_department("Engineering follow-up")
        hr = make_user(Role.HR, department, email="hr-follow@example.com")
        referrer = make_user(
            Role.EMPLOYEE, department, email="rita-follow@example.com", name="Rita Referrer"
        )
        job = make_job(
            department,
            title="支付后端工程师",
            title_en="Payments backend engineer",
            interview_focus="系统设计：一个真实的支付案例",
            interview_focus_en="System design on a real payments case",
        )
        referral = make_referral(referrer, job, candidate_name="Wang Wei")
        advance(referral, Stage.INTERVIEWING, hr)

    rita = open_page("en")
    login(rita, "rita-follow@example.com")
    rita.goto("/notifications/")
    rita.get_by_role("link", name="The follow-up coach has a message with tips").click()
    message = rita.get_by_test_id("follow-up-message")
    expect(message).to_contain_text(
        "The interviews focus on: System design on a real payments case"
    )
    shot(rita, "follow-up", "en")
    rita.get_by_role("link", name="中文").last.click()
    expect(message).to_contain_text("面试会重点考察")
    shot(rita, "follow-up-message-zh", "en")
