"""Browser journey: a referrer opens the leaderboard, switches period and department with htmx (no
page reload, the URL follows), sees their rank, then the office screen. English and Chinese, with
screenshots of the page, a phone and the office screen."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role, User
from community.leaderboards import rebuild
from community.points.services import adjust_points
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_department, make_user
from tests.redis_server import RedisServer

TEXT = {
    "en": {
        "eng": "Engineering",
        "sales": "Sales",
        "names": ["Alice Wang", "Bob Li", "Evan Employee", "Carol Zhang", "Dave Old"],
        "all_time": "All time",
        "mine": "My department",
        "you": "You",
    },
    "zh_CN": {
        "eng": "研发中心",
        "sales": "销售部",
        "names": ["王爱丽", "李波", "李雷", "张卡罗", "老戴"],
        "all_time": "全部时间",
        "mine": "我的部门",
        "you": "我",
    },
}


def shot(page: Page, name: str, lang: str) -> Path:
    return lang_screenshot(page, f"leaderboard-{name}", lang)


def seed(lang: str) -> tuple[User, dict[str, User]]:
    """HR gives points this month to four people and, last year, to a fifth."""
    t = TEXT[lang]
    eng, sales = make_department(t["eng"]), make_department(t["sales"])
    hr = make_user(role=Role.HR, name="HR", email="hr@example.com", locale=lang)
    alice, bob, me, carol, dave = t["names"]
    people = {
        "alice": make_user(department=eng, name=alice, locale=lang),
        "bob": make_user(department=sales, name=bob, locale=lang),
        "me": make_user(department=eng, name=me, email="me@example.com", locale=lang),
        "carol": make_user(department=sales, name=carol, locale=lang),
        "dave": make_user(department=sales, name=dave, locale=lang),
    }
    with time_machine.travel(datetime(2025, 3, 3, 4, 0, tzinfo=UTC), tick=False):
        adjust_points(hr, people["dave"], 500, "Referral fair 2025")
    for key, amount in (("alice", 120), ("bob", 80), ("me", 60), ("carol", 30)):
        adjust_points(hr, people[key], amount, "Hosted the referral workshop")
    return hr, people


def names_on_board(page: Page) -> list[str]:
    cells = page.locator("[data-testid=leaderboard] [data-testid=board-row] td:nth-child(2)")
    return [text.split("\n")[0].strip() for text in cells.all_inner_texts()]


def fits_the_window(page: Page) -> bool:
    """Nothing in the navbar (the language switch is last) runs off the right edge."""
    return bool(
        page.evaluate(
            "Math.max(...[...document.querySelectorAll('.app-navbar a, .app-navbar button')]"
            ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))"
            " <= document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_switching_boards_in_place(app: Flask, open_page, lang: str) -> None:
    t = TEXT[lang]
    with app.test_request_context():
        hr, people = seed(lang)
    alice, bob, me, carol, dave = t["names"]

    page = open_page(lang)
    login(page, "me@example.com")
    page.get_by_test_id("nav-leaderboard").first.click()
    expect(page).to_have_url(re.compile(r"/leaderboard/$"))
    expect(page.get_by_test_id("board-row")).to_have_count(4)
    assert [n.split(" " + t["you"])[0] for n in names_on_board(page)] == [alice, bob, me, carol]
    expect(page.locator("tr[aria-current=true]")).to_contain_text(me)
    expect(page.get_by_test_id("my-rank-number")).to_have_text("#3")
    assert fits_the_window(page)
    shot(page, "page", lang)

    htmx_settled(page)
    page.evaluate("window.__sameDocument = true")  # survives only if htmx swaps in place
    page.get_by_test_id("period-all").click()
    expect(page).to_have_url(re.compile(r"period=all"))
    expect(page.get_by_test_id("board-row")).to_have_count(5)
    assert names_on_board(page)[0] == dave
    expect(page.get_by_test_id("period-all")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("my-rank-number")).to_have_text("#4")
    htmx_settled(page)

    page.select_option("#lb-department", label=t["sales"])
    expect(page).to_have_url(re.compile(rf"department={people['bob'].department_id}"))
    expect(page.get_by_test_id("board-row")).to_have_count(3)
    assert names_on_board(page) == [dave, bob, carol]
    htmx_settled(page)

    page.get_by_test_id("scope-mine").click()
    expect(page.get_by_test_id("board-row")).to_have_count(2)
    assert names_on_board(page)[0] == alice
    expect(page.get_by_test_id("scope-mine")).to_have_text(t["mine"])
    assert page.evaluate("window.__sameDocument") is True
    htmx_settled(page)

    page.go_back()  # the pushed URL brings the previous board back
    expect(page).to_have_url(re.compile(r"department="))
    expect(page.get_by_test_id("board-row")).to_have_count(3)
    expect(page.get_by_test_id("period-all")).to_have_text(t["all_time"])

    phone = open_page(lang, {"width": 390, "height": 844})
    login(phone, "me@example.com")
    phone.goto("/leaderboard/?period=month")
    expect(phone.get_by_test_id("board-row")).to_have_count(4)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone", lang)

    staff = open_page(lang)  # HR has one more menu: the bar still fits at 1280px
    login(staff, hr.email)
    staff.goto("/leaderboard/")
    expect(staff.get_by_test_id("hr-note")).to_be_visible()
    assert fits_the_window(staff)
    shot(staff, "hr", lang)

    tv = open_page(lang, {"width": 1920, "height": 1080})
    login(tv, "me@example.com")
    tv.goto("/leaderboard/screen?period=all")
    expect(tv.get_by_test_id("board-row")).to_have_count(5)
    expect(tv.locator("nav")).to_have_count(0)
    expect(tv.get_by_test_id("office-screen")).to_have_attribute("hx-trigger", "every 60s")
    shot(tv, "screen", lang)


def test_the_board_while_redis_is_away(app: Flask, open_page, own_redis: RedisServer) -> None:
    """Redis stops: the page says the board is away for now, its tabs and picker still work;
    Redis comes back (empty) and, rebuilt from the ledger, the board is there again."""
    with app.test_request_context():
        seed("en")
    page = open_page("en")
    login(page, "me@example.com")
    own_redis.stop()
    page.goto("/leaderboard/")
    expect(page.get_by_test_id("board-unavailable")).to_be_visible()
    expect(page.get_by_test_id("board-row")).to_have_count(0)
    shot(page, "redis-away", "en")
    htmx_settled(page)
    page.get_by_test_id("period-all").click()
    expect(page).to_have_url(re.compile(r"period=all"))
    expect(page.get_by_test_id("period-all")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("board-unavailable")).to_be_visible()
    page.goto("/")  # the rest of the app carries on: points from the ledger, ranks away
    expect(page.get_by_test_id("home-lifetime-points")).to_have_text("60")
    expect(page.get_by_test_id("home-rank-company")).to_contain_text("Temporarily unavailable")

    own_redis.start()  # a fresh server: it kept nothing
    with app.app_context():
        rebuild.rebuild()
    page.goto("/leaderboard/?period=all")
    expect(page.get_by_test_id("board-unavailable")).to_have_count(0)
    expect(page.get_by_test_id("board-row")).to_have_count(5)
    expect(page.get_by_test_id("my-rank-number")).to_have_text("#4")
