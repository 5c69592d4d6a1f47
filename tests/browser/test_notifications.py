"""Browser journey (issue 11 §15): a hire reaches the referrer as one notification with its lines
and HR's feedback quoted (never the internal note); marking one read updates the bell without a
reload; the inbox pages; "mark all as read" clears it. At 1366 and 375 px, in both languages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.core.time import to_local, utcnow
from community.extensions import db
from community.notifications.services import notify
from community.referrals import services as referral_services
from community.referrals.models import Stage
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_job, make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral

TEXT = {
    "en": {
        "hired": "Your referral of Ann Li for Backend Engineer moved to Hired.",
        "feedback": "Ann impressed the whole panel. She starts on 5 January.",
        "note": "Salary above the band, approved by the VP.",
        "badge": "New badge: First hire",
        "bonus": "for reaching Hired; HR approves it next.",
        "page2": "Person 00",
    },
    "zh_CN": {
        "hired": "你内推至“Backend Engineer”的 Ann Li，状态已更新为“已入职”。",
        "feedback": "Ann 的面试表现让评委印象深刻，1 月 5 日入职。",
        "note": "薪资超出范围，已由 VP 批准。",
        "badge": "新徽章：首次入职",
        "bonus": "接下来由 HR 审批。",
        "page2": "Person 00",
    },
}


def shot(page: Page, name: str, lang: str) -> None:
    lang_screenshot(page, f"notices-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_hire_is_one_notification_and_the_inbox_is_read(app: Flask, open_page, lang: str):
    t = TEXT[lang]
    hr = make_user(role=Role.HR, name="Hannah HR")
    referrer = make_user(email="emp@example.com", name="Evan Employee", locale=lang)
    with app.test_request_context():
        # Older news, to fill more than a page (20 a page).
        for n in range(22):
            notify(
                referrer.id,
                "referral_left",
                {"candidate": f"Person {n:02d}", "job": "Designer"},
                at=utcnow() - timedelta(days=30 - n),
            ).read_at = utcnow()
        db.session.commit()
        referral = walk(
            make_referral(
                referrer=db.session.merge(referrer),
                job=make_job(title="Backend Engineer", bonus_minor=1000000),
                candidate_name="Ann Li",
            ),
            db.session.merge(hr),
            Stage.INTERVIEWING,
            Stage.OFFER,
        )
        referral_services.advance_stage(
            referral,
            Stage.HIRED,
            db.session.merge(hr),
            feedback=t["feedback"],
            internal_note=t["note"],
            expected_from=Stage.OFFER,
            start_date=to_local(utcnow()).date(),
        )

    for width, height in ((375, 800), (1366, 900)):  # the phone only looks
        page = open_page(lang, {"width": width, "height": height})
        login(page, "emp@example.com")
        page.goto("/notifications/")
        htmx_settled(page)
        unread = page.get_by_test_id("notification-unread")
        hire = unread.filter(has_text=t["hired"])
        expect(hire).to_have_count(1)
        expect(hire.get_by_test_id("notification-quote")).to_contain_text(t["feedback"])
        expect(page.locator("main")).not_to_contain_text(t["note"])
        # points, 2 badges, the bonus, the welcome to the referrer club (a first hire) and the
        # follow-up coach's message for the candidate
        expect(hire.get_by_test_id("notification-line")).to_have_count(6)
        expect(hire).to_contain_text(t["badge"])
        expect(hire).to_contain_text(t["bonus"])
        shot(page, f"inbox-{width}", lang)
        if width == 375:
            continue
        count = unread.count()
        expect(page.get_by_test_id("unread-count")).to_have_text(str(count))

        # Mark one read: the item and the bell change in place.
        hire.get_by_test_id("mark-read").click()
        expect(page.get_by_test_id("notification-unread")).to_have_count(count - 1)
        expect(page.get_by_test_id("unread-count")).to_have_text(str(count - 1))
        htmx_settled(page)

        # The second page, through the pager.
        page.locator(".pagination").get_by_role("link", name="2", exact=True).click()
        expect(page.get_by_test_id("notifications")).to_contain_text(t["page2"])
        htmx_settled(page)
        expect(page).to_have_url(re.compile(r"/notifications/\?page=2$"))  # pushed: shareable
        page.goto("/notifications/")
        htmx_settled(page)

        # Mark all as read: nothing unread, no count on the bell.
        page.get_by_test_id("mark-all-read").click()
        expect(page.get_by_test_id("notification-unread")).to_have_count(0)
        expect(page.get_by_test_id("unread-count")).to_have_count(0)
        expect(page.get_by_test_id("mark-all-read")).to_have_count(0)
        page.wait_for_timeout(300)  # the toast, for the picture
        shot(page, "inbox-read", lang)
