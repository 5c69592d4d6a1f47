"""Browser journey: an employee refers a friend with a real PDF resume, HR moves the referral to
interviewing with feedback from the queue (in place, htmx), and the employee sees the change in
the timeline and in their notifications. Run in English and in Chinese, with screenshots of every
referral, notification, home and error page, at desktop and phone width."""

from __future__ import annotations

import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import hard_requirements
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

PHONE = {"width": 390, "height": 844}

# What people type, in each language: the layout must hold with either.
TEXT = {
    "en": {
        "engineering": "Engineering",
        "marketing": "Marketing",
        "employee": "Evan Employee",
        "colleague": "Chloe Colleague",
        "hr": "Hannah HR",
        "job": "Senior Backend Engineer",
        "other_job": "Growth Marketer",
        "candidate": "Lin Wei",
        "low_candidate": "Sam Stretch",
        "employer": "Acme Payments",
        "title": "Staff Engineer",
        "fit": (
            "Led the payments migration at Acme and cut p99 latency by 40%. "
            "Calm under pressure; explains trade-offs clearly to non-engineers."
        ),
        "feedback": "Strong screening call: the team wants to meet Lin for a system design round.",
        "note": "Hiring manager keen; check salary band before the offer.",
        "skills": ["Python", "PostgreSQL", "Redis"],
        "traits": ["Clear written communication", "Resilience", "Teamwork"],
        "challenges": "On-call one week in six; a legacy billing module to untangle.",
        "competencies": ["System design", "Ownership of production services"],
        "others": ["Maya Chen", "Omar Haddad", "Priya Natarajan"],
    },
    "zh_CN": {
        "engineering": "研发中心",
        "marketing": "市场部",
        "employee": "李雷",
        "colleague": "周敏",
        "hr": "韩梅梅",
        "job": "高级后端工程师",
        "other_job": "增长营销经理",
        "candidate": "王小明",
        "low_candidate": "赵勇",
        "employer": "某支付科技有限公司",
        "title": "资深工程师",
        "fit": "在上一家公司主导支付系统迁移，把 p99 延迟降低了 40%；抗压能力强，能把技术取舍讲清楚。",
        "feedback": "电话初筛表现很好，团队希望安排一轮系统设计面试。",
        "note": "用人经理很感兴趣，发 offer 前先确认薪资范围。",
        "skills": ["Python", "分布式系统", "Redis"],
        "traits": ["沟通能力", "抗压能力", "团队合作"],
        "challenges": "每六周轮值一周 on-call；有一个遗留计费模块需要重构。",
        "competencies": ["系统设计", "推动落地"],
        "others": ["陈静", "张伟", "刘洋"],
    },
}


def small_pdf(text: str = "Lin Wei - Resume") -> bytes:
    """A real one-page PDF with a line of text (correct xref table, compressed content stream)."""
    content = zlib.compress(f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"referral-{name}", lang)


def answer_requirements(page: Page, answers: list[str]) -> None:
    """Click the answer buttons (radios styled as a button group) of the hard requirements."""
    for i, answer in enumerate(answers):
        page.click(f"input[name=hard_{i}][value={answer}] + label")
        expect(page.locator(f"input[name=hard_{i}][value={answer}]")).to_be_checked()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_refer_with_resume_hr_moves_it_and_the_referrer_is_told(
    page: Page, open_page, tmp_path: Path, lang: str
):
    t = TEXT[lang]
    engineering = make_department(t["engineering"])
    marketing = make_department(t["marketing"])
    hr = make_user(
        role=Role.HR, email="hr@example.com", name=t["hr"], department=marketing, locale=lang
    )
    employee = make_user(
        email="emp@example.com", name=t["employee"], department=engineering, locale=lang
    )
    colleague = make_user(
        email="colleague@example.com", name=t["colleague"], department=engineering, locale=lang
    )
    job = make_job(
        title=t["job"],
        department=engineering,
        skills=t["skills"],
        soft_traits=t["traits"],
        challenges=t["challenges"],
        competencies=t["competencies"],
        hard_to_fill=True,
    )
    other_job = make_job(
        title=t["other_job"], department=marketing, location="Beijing", hard_to_fill=True
    )
    requirement_count = len(hard_requirements(job))

    # Others' referrals fill HR's queue; one of them is past its review deadline.
    overdue = make_referral(referrer=colleague, job=other_job, candidate_name=t["others"][0])
    overdue.review_due_at = utcnow() - timedelta(days=2)
    make_referral(referrer=colleague, job=job, candidate_name=t["others"][1])
    make_referral(referrer=colleague, job=other_job, candidate_name=t["others"][2])
    db.session.commit()

    # The employee starts with nothing referred yet: helpful empty states.
    login(page, employee.email)
    page.wait_for_selector("[data-testid=nav-notifications]")
    shot(page, "home-employee-empty", lang)
    page.goto("/referrals/mine")
    expect(page.locator("[data-testid=mine-empty]")).to_be_visible()
    shot(page, "mine-empty", lang)
    page.goto("/notifications/")
    expect(page.locator("[data-testid=notifications-empty]")).to_be_visible()
    shot(page, "notifications-empty", lang)

    # From the job, to the form; an empty submission shows what is missing.
    page.goto(f"/jobs/{job.id}")
    page.click("[data-testid=refer-button]")
    page.wait_for_selector("[data-testid=referral-form]")
    shot(page, "new-empty", lang)
    page.click("[data-testid=submit-referral]")
    page.wait_for_selector("[data-testid=form-errors]")
    assert page.locator(".is-invalid").count() >= 3
    shot(page, "new-errors", lang)

    # Filling it in; marking most hard requirements "does not meet" brings the warning (live).
    page.fill("#candidate_name", t["candidate"])
    page.fill("#email", "lin.wei@example.org")
    page.fill("#current_employer", t["employer"])
    page.fill("#current_title", t["title"])
    page.select_option("#relationship", "former_colleague")
    page.select_option("#known_for", "3_5")
    htmx_settled(page)  # the answers' live check is an htmx trigger
    answer_requirements(page, ["meets"] + ["does_not_meet"] * (requirement_count - 1))
    warning = page.locator("[data-testid=low-match-warning]")
    expect(warning).to_be_visible()
    for i in range(len(t["traits"])):
        page.click(f"label[for=soft_{i}-3]")  # a 1-5 button group: the radio hides behind it
        expect(page.locator(f"#soft_{i}-3")).to_be_checked()
    page.fill("#fit_reason", t["fit"])
    resume = tmp_path / "lin-wei-resume.pdf"
    resume.write_bytes(small_pdf())
    page.set_input_files("#resume", str(resume))
    page.check("#consent")
    shot(page, "new-low-match", lang)

    # Going ahead without confirming is refused, with the warning still there and the resume
    # kept (not chosen again); confirming works.
    page.click("[data-testid=submit-referral]")
    expect(page.locator("[data-testid=low-match-warning]")).to_be_visible()
    expect(page.locator("[data-testid=resume-kept-name]")).to_have_text("lin-wei-resume.pdf")
    shot(page, "new-low-match-refused", lang)
    htmx_settled(page)
    page.check("#confirm_low_match")
    page.click("[data-testid=submit-referral]")
    page.wait_for_selector("[data-testid=timeline]")
    referral_url = page.url
    expect(page.locator("h1 [data-testid=stage-badge]")).to_have_class(
        "badge stage-badge stage-submitted"
    )
    shot(page, "detail-referrer-submitted", lang)

    # The referrer can download the resume they uploaded: the very same bytes.
    with page.expect_download() as download_info:
        page.click("[data-testid=resume-download]")
    download = download_info.value
    assert download.suggested_filename == "lin-wei-resume.pdf"
    assert Path(download.path()).read_bytes() == resume.read_bytes()

    page.goto("/referrals/mine")
    expect(page.locator("[data-testid=my-referrals] tbody tr")).to_have_count(1)
    shot(page, "mine", lang)

    # HR, in another window: the dashboard, then the queue, earliest due first (overdue on top).
    hr_page = open_page(lang)
    login(hr_page, hr.email)
    hr_page.wait_for_selector("[data-testid=hr-queue-summary]")
    shot(hr_page, "home-hr", lang)
    hr_page.goto("/referrals/queue")
    rows = hr_page.locator("[data-testid=queue-row]")
    expect(rows).to_have_count(4)
    expect(rows.first.locator("[data-testid=overdue]")).to_be_visible()
    assert t["others"][0] in rows.first.inner_text()
    shot(hr_page, "queue", lang)

    # HR moves the referral to interviewing with feedback, in place: the row updates, no reload.
    row = hr_page.locator("[data-testid=queue-row]", has_text=t["candidate"])
    row.locator("[data-testid=open-actions]").click()
    row.locator("textarea[name=feedback]").fill(t["feedback"])
    row.locator("textarea[name=internal_note]").fill(t["note"])
    expect(row.locator(".collapse.show")).to_be_visible()
    shot(hr_page, "queue-actions-open", lang)
    hr_page.evaluate("window.__sameDocument = true")
    row.locator("[data-testid=move-interviewing]").click()
    row = hr_page.locator("[data-testid=queue-row]", has_text=t["candidate"])
    expect(row.locator(".stage-interviewing")).to_be_visible()
    expect(hr_page.locator("[data-testid=toast].show")).to_be_visible()
    hr_page.wait_for_function(  # the toast has faded in fully, for the screenshot
        "() => [...document.querySelectorAll('[data-testid=toast]')]"
        ".some((t) => getComputedStyle(t).opacity === '1')"
    )
    assert hr_page.evaluate("window.__sameDocument === true")  # swapped, not reloaded
    shot(hr_page, "queue-after-move", lang)

    hr_page.goto(referral_url)
    expect(hr_page.locator("[data-testid=stage-actions]")).to_be_visible()
    expect(hr_page.locator("[data-testid=internal-note]")).to_contain_text(t["note"])
    shot(hr_page, "detail-hr", lang)

    # The employee sees the change: the unread count, the notification, the timeline with feedback.
    page.goto("/")
    # The "First referral" badge, and the move (its "First interview" badge is a line of it).
    expect(page.locator("[data-testid=unread-count]")).to_have_text("2")
    expect(page.locator("[data-testid=home-in-flight] .stage-interviewing")).to_be_visible()
    shot(page, "home-employee", lang)
    page.goto("/referrals/mine")
    expect(page.locator("[data-testid=my-referrals] .stage-interviewing")).to_be_visible()
    shot(page, "mine-after-move", lang)
    page.click("[data-testid=nav-notifications]")
    unread = page.locator("[data-testid=notification-unread]")
    expect(unread).to_have_count(2)
    unread = unread.filter(has_text=t["candidate"])
    expect(unread).to_have_count(1)
    expect(unread.get_by_test_id("notification-quote")).to_contain_text(t["feedback"])
    expect(unread).not_to_contain_text(t["note"])  # HR's internal note never reaches them
    # points, badge, the follow-up coach's tips for the candidate
    expect(unread.get_by_test_id("notification-line")).to_have_count(3)
    shot(page, "notifications", lang)
    unread.locator("[data-testid=open-notification]").click()
    page.wait_for_url(referral_url)
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")  # the first badge
    expect(page.locator("[data-testid=feedback]")).to_contain_text(t["feedback"])
    expect(page.locator("[data-testid=internal-note]")).to_have_count(0)
    expect(page.locator("h1 .stage-interviewing")).to_be_visible()
    shot(page, "detail-referrer", lang)

    # What an employee may not see: HR's queue (403) and a referral that does not exist (404).
    response = page.goto("/referrals/queue")
    assert response is not None and response.status == 403
    shot(page, "error-403", lang)
    response = page.goto("/referrals/999999")
    assert response is not None and response.status == 404
    shot(page, "error-404", lang)

    # Phone width: the queue, the form and my referrals stay usable.
    hr_page.set_viewport_size(PHONE)
    hr_page.goto("/referrals/queue")
    shot(hr_page, "queue-phone", lang)
    page.set_viewport_size(PHONE)
    page.goto(f"/referrals/new/{job.id}")
    shot(page, "new-phone", lang)
    page.goto("/referrals/mine")
    shot(page, "mine-phone", lang)
    page.goto(referral_url)
    shot(page, "detail-referrer-phone", lang)
