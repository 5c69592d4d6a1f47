"""Browser journey: three colleagues flag a spam reply from the thread; after the third flag it
disappears from the thread; a moderator finds it in the review queue with the three reasons and
restores it, and the log says so. In English and in Chinese, and the queue at phone width, with
screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.forum.models import TopicKind
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.club.factories import make_member
from tests.factories import make_department, make_user
from tests.forum.moderation.factories import make_category, make_reply, make_topic

TEXT = {
    "en": {
        "category": "Referral tips",
        "title": "How do you write a referral that passes screening?",
        "question": "My referrals stop at **screening**. What do you write?",
        "spam": "Cheap watches at spam-shop.example, 90% off!!!",
        "flaggers": ["Mia Member", "Noah Member", "Olivia Member"],
        "moderator": "Mo Moderator",
        "author": "Sam Spammer",
        "asker": "Ada Asker",
        "hidden": "This post is hidden by a moderator.",
        "thanks": "The moderators will look at it.",
        "queue_empty": "Nothing to review",
        "restored": "The post is visible again.",
        "log_action": "Showed a hidden post again",
        "auto_hidden": "Hidden by colleagues' flags",
    },
    "zh_CN": {
        "category": "内推技巧",
        "title": "怎样写推荐理由才能通过简历筛选？",
        "question": "我推荐的人总是卡在**简历筛选**，大家都怎么写？",
        "spam": "超低价手表，访问 spam-shop.example，一折起！！！",
        "flaggers": ["王芳", "李雷", "韩梅梅"],
        "moderator": "赵版主",
        "author": "钱广告",
        "asker": "孙提问",
        "hidden": "此帖子已被版主隐藏。",
        "thanks": "版主会查看。",
        "queue_empty": "没有待审核的内容",
        "restored": "帖子已重新显示。",
        "log_action": "重新显示了隐藏的帖子",
        "auto_hidden": "因同事举报而隐藏",
    },
}
REASONS = ["spam", "abuse", "other"]


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"forum-moderation-{name}", lang)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_three_flags_hide_a_post_and_a_moderator_restores_it(
    app: Flask, open_page, lang: str
) -> None:
    t = TEXT[lang]
    department = make_department("Engineering" if lang == "en" else "研发中心")
    hr = make_user(Role.HR, department, email="hr@example.com", name="HR", locale=lang)
    moderator = make_user(
        department=department, email="mod@example.com", name=t["moderator"], locale=lang
    )
    make_member(moderator, moderator=True, hr=hr)
    flaggers = [
        make_member(
            make_user(department=department, email=f"m{n}@example.com", name=name, locale=lang),
            hr=hr,
        )
        for n, name in enumerate(t["flaggers"])
    ]
    asker = make_user(department=department, name=t["asker"], locale=lang)
    author = make_user(department=department, name=t["author"], locale=lang)
    category = make_category(t["category"], name_en=TEXT["en"]["category"])
    topic = make_topic(asker, t["title"], t["question"], kind=TopicKind.QUESTION, category=category)
    make_reply(topic, author, t["spam"])
    thread = f"/forum/t/{topic.id}"

    for n, (flagger, reason) in enumerate(zip(flaggers, REASONS, strict=True)):
        page = open_page(lang)
        login(page, flagger.email)
        page.goto(thread)
        post = page.locator('[data-testid="forum-post"][data-number="2"]')
        expect(post).to_contain_text(t["spam"])
        post.get_by_test_id("flag-post").click()
        expect(page.get_by_test_id("flag-form")).to_be_visible()
        htmx_settled(page)
        page.locator(f"input[name=reason_code][value={reason}]").check()
        if reason == "other":
            page.fill("#flag-note", "广告链接" if lang == "zh_CN" else "Links to a shop")
        if n == 0:
            shot(page, "flag-form", lang)
        page.get_by_test_id("send-flag").click()
        expect(page.get_by_test_id("already-flagged")).to_be_visible()
        if n == 0:
            expect(page.get_by_test_id("already-flagged")).to_contain_text(t["thanks"])
            shot(page, "flagged", lang)

    # The third flag hid it: the thread shows a placeholder instead of the text.
    reader = open_page(lang)
    login(reader, flaggers[0].email)
    reader.goto(thread)
    post = reader.locator('[data-testid="forum-post"][data-number="2"]')
    expect(post.get_by_test_id("removed-placeholder")).to_be_visible()
    expect(post).not_to_contain_text(t["spam"])
    shot(reader, "thread-hidden", lang)

    # The moderator finds it in the queue with the three reasons and restores it.
    mod = open_page(lang)
    login(mod, "mod@example.com")
    mod.goto("/club/members")
    mod.get_by_test_id("moderation-links").get_by_role("link").first.click()
    flagged = mod.get_by_test_id("flagged-post")
    expect(flagged).to_have_count(1)
    expect(flagged.get_by_test_id("flag")).to_have_count(3)
    expect(flagged.get_by_test_id("post-state")).to_contain_text(t["auto_hidden"])
    expect(flagged).to_contain_text(t["spam"])
    shot(mod, "queue", lang)
    htmx_settled(mod)
    flagged.get_by_test_id("restore").click()
    expect(mod.get_by_test_id("queue-empty")).to_contain_text(t["queue_empty"])
    mod.wait_for_timeout(300)  # let the toast settle for the picture
    shot(mod, "queue-restored", lang)

    mod.get_by_test_id("to-log").click()
    rows = mod.get_by_test_id("log-row")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_test_id("log-action")).to_have_text(t["log_action"])
    shot(mod, "log", lang)

    reader.goto(thread)
    expect(reader.locator('[data-testid="forum-post"][data-number="2"]')).to_contain_text(t["spam"])

    # The author heard both: hidden by flags, then shown again.
    mine = open_page(lang)
    login(mine, author.email)
    mine.goto("/notifications/")
    expect(mine.locator("main")).to_contain_text(t["title"])
    shot(mine, "author-notifications", lang)


def test_the_queue_at_phone_width(app: Flask, open_page) -> None:
    department = make_department("研发中心")
    make_user(Role.HR, department, email="hr@example.com", name="韩 HR", locale="zh_CN")
    asker = make_user(department=department, name="孙提问", locale="zh_CN")
    author = make_user(department=department, name="钱广告", locale="zh_CN")
    topic = make_topic(asker, "怎样写推荐理由才能通过简历筛选？", "大家都怎么写？")
    reply = make_reply(topic, author, "超低价手表，访问 spam-shop.example，一折起！！！" * 3)
    from community.forum.moderation import services

    for n in range(2):
        flagger = make_user(department=department, name=f"同事{n}", locale="zh_CN")
        services.flag_post(flagger, reply.id, "other", "这是一条很长的说明，" * 8)
    page = open_page("zh_CN", {"width": 390, "height": 844})
    login(page, "hr@example.com")
    page.goto("/club/moderation/")
    expect(page.get_by_test_id("flagged-post")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the queue is wider than the phone: {width}px"
    lang_screenshot(page, "forum-moderation-queue-phone", "zh_CN")
