"""Browser journey of the forum: an employee asks a question, a club member answers (quoting
the question, mentioning the asker: a link to their profile), the asker accepts the answer, and
the member's points move, explained on "My points". In English and in Chinese, and the topic at
phone width, with screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from tests.browser.conftest import lang_screenshot, login
from tests.club.factories import make_member
from tests.factories import make_department, make_user
from tests.forum.factories import make_category

TEXT = {
    "en": {
        "category": "Questions",
        "title": "How detailed should my first referral be?",
        "body": "I want to refer a former colleague. What does HR look for?",
        "answer": "@asker Write **what you did together** and why they fit the job.",
        "asker": "Amy Asker",
        "member": "Max Member",
        "accepted": "Accepted answer",
        "cause": "Your answer was accepted in the forum",
        "empty_title": "A title has at least 4 characters.",
    },
    "zh_CN": {
        "category": "问与答",
        "title": "第一次内推，推荐理由应该写多详细？",
        "body": "我想推荐以前的同事。HR 最看重哪些内容？",
        "answer": "@asker 写**你们一起做过的事**，以及他为什么适合这个岗位。",
        "asker": "王芳",
        "member": "李雷",
        "accepted": "已采纳的回答",
        "cause": "你在论坛的回答被采纳",
        "empty_title": "标题至少 4 个字符。",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"forum-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_question_answered_and_accepted_moves_the_answerers_points(
    app: Flask, open_page, lang: str
) -> None:
    t = TEXT[lang]
    department = make_department("Engineering" if lang == "en" else "研发中心")
    hr = make_user(role=Role.HR, email="hr@example.com", locale=lang)
    asking = make_user(email="asker@example.com", name=t["asker"], department=department,
                       locale=lang)  # fmt: skip
    member = make_user(email="member@example.com", name=t["member"], department=department,
                       locale=lang)  # fmt: skip
    with app.test_request_context():
        make_member(member, hr=hr)
        make_category("questions", hr=hr, slug="questions", name="问与答", name_en="Questions")

    asker = open_page(lang)
    login(asker, "asker@example.com")
    asker.goto("/forum/")
    expect(asker.get_by_test_id("forum-category")).to_contain_text(t["category"])
    shot(asker, "index", lang)
    asker.get_by_test_id("forum-category").click()
    asker.get_by_test_id("new-topic").click()
    expect(asker.locator("#question")).to_be_checked()  # a questions category asks questions
    asker.fill("#body", t["body"])
    asker.get_by_test_id("post-topic").click()
    expect(asker.locator("#title-error")).to_have_text(t["empty_title"])
    expect(asker.locator("#body")).to_have_value(t["body"])
    shot(asker, "new-topic-error", lang)
    asker.fill("#title", t["title"])
    asker.get_by_test_id("post-topic").click()
    expect(asker.get_by_test_id("topic-title")).to_contain_text(t["title"])
    topic_url = asker.url

    answerer = open_page(lang)
    login(answerer, "member@example.com")
    answerer.goto(topic_url)
    answerer.get_by_test_id("quote").first.click()  # without JavaScript the link fills it too
    expect(answerer.locator("#body")).to_have_value(f"> @{t['asker']} wrote:\n> {t['body']}\n\n")
    assert "quote=" not in answerer.url  # the script filled it in place, no reload
    answerer.fill("#body", t["answer"])
    answerer.get_by_test_id("send-reply").click()
    answer = answerer.locator('[data-testid="forum-post"][data-number="2"]')
    expect(answer).to_be_visible()
    expect(answer.get_by_test_id("club-mark-member")).to_be_visible()
    # The @mention (by the e-mail's local part) is a link to the asker's profile.
    mention = answer.locator("a.mention")
    expect(mention).to_have_text("@asker")
    expect(mention).to_have_attribute("href", f"/people/{asking.id}/profile")
    answerer.goto("/points/")
    expect(answerer.get_by_test_id("score")).to_have_text("0")  # no points for posting

    asker.reload()
    asker.locator('[data-testid="forum-post"][data-number="2"]').get_by_test_id("accept").click()
    accepted = asker.locator('[data-testid="forum-post"][data-number="2"]')
    expect(accepted.get_by_test_id("accepted-mark")).to_contain_text(t["accepted"])
    expect(asker.get_by_test_id("answered")).to_be_visible()
    shot(asker, "accepted", lang)
    asker.get_by_role("link", name=t["category"]).click()
    expect(asker.get_by_test_id("forum-topic-row")).to_contain_text(t["title"])
    shot(asker, "category", lang)

    answerer.goto("/points/")
    expect(answerer.get_by_test_id("score")).to_have_text(str(app.config["FORUM_ACCEPTED_POINTS"]))
    expect(answerer.get_by_test_id("points-entry").first).to_contain_text(t["cause"])
    expect(answerer.get_by_test_id("points-entry").first).to_contain_text(t["title"])
    shot(answerer, "points", lang)

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "member@example.com")
    phone.goto(topic_url)
    expect(phone.get_by_test_id("accepted-mark")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the topic scrolls sideways on a phone ({width}px)"
    shot(phone, "topic-phone", lang)
