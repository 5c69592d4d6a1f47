"""Browser journey: an employee searches the forum in Chinese, finds the post that says it in
other words ("分享几个面试的技巧" for 面试技巧), sees the words marked, opens the topic; a
mixed query ("Python 面试") finds the reply. In English and Chinese, and at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.forum import posts
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_user
from tests.forum.factories import make_category, make_topic


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_search_in_chinese_finds_the_post(open_page, locale: str) -> None:
    hr = make_user(role=Role.HR)
    author = make_user(name="李雷")
    tips = make_category(hr=hr, name="技巧分享", name_en="Tips")
    topic = make_topic(
        author, tips, title="分享几个面试的技巧", body="自我介绍要**简短**，量化你的成果。"
    )
    posts.reply(make_user(name="韩梅梅"), topic.id, "补充：Python 面试常考装饰器。")
    make_topic(author, tips, title="Java or Go?", body="Which language do interviewers prefer?")
    reader = make_user(name="Rita Reader")

    page: Page = open_page(locale)
    login(page, reader.email)
    page.goto("/club/search")
    page.get_by_test_id("search-q").fill("面试技巧")
    page.get_by_test_id("search-submit").click()
    htmx_settled(page)
    hits = page.get_by_test_id("search-hit")
    expect(hits).to_have_count(1)
    title = page.get_by_test_id("search-hit-title")
    expect(title).to_have_text("分享几个面试的技巧")
    expect(title.locator("mark")).to_have_text(["面试", "技巧"])
    assert "q=%E9%9D%A2%E8%AF%95%E6%8A%80%E5%B7%A7" in page.url  # the search is a link
    lang_screenshot(page, "forum-search", locale)

    page.get_by_test_id("search-q").fill("Python 面试")
    page.get_by_test_id("search-submit").click()
    htmx_settled(page)
    expect(page.get_by_test_id("search-hit-snippet")).to_contain_text("Python 面试常考装饰器")
    expect(page.get_by_test_id("search-hit-snippet").locator("mark")).to_have_text(
        ["Python", "面试"]
    )

    page.get_by_test_id("search-hit-title").click()
    page.wait_for_url(f"**/forum/t/{topic.id}**")
    assert f"/forum/t/{topic.id}" in page.url and "#post-2" in page.url
    expect(page.get_by_text("补充：Python 面试常考装饰器。")).to_be_visible()

    phone = open_page(locale, {"width": 390, "height": 844})
    login(phone, reader.email)
    phone.goto("/club/search?q=面试")
    expect(phone.get_by_test_id("search-hit")).to_have_count(2)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    lang_screenshot(phone, "forum-search-phone", locale)
