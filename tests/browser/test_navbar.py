"""The kept navigation bar in a browser: on a phone the menu opens, the language switch inside it
changes the language and returns to the same page (its CSRF token filled in), and each person's
menu is their own."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.factories import make_user

PHONE = {"width": 390, "height": 844}


def test_the_phone_menu_switches_language_and_returns_to_the_page(open_page, live_server) -> None:
    ada, bo = make_user(name="Ada Phone"), make_user(name="Bo Desk")
    page = open_page("en", PHONE)
    page.goto("/login")
    login(page, ada.email)
    page.wait_for_url(f"{live_server}/")
    page.goto("/leaderboard/?period=week")
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bshow\b"))  # opened fully
    menu = page.get_by_test_id("language-switcher-menu")
    expect(menu).to_be_visible()
    screenshot(page, "navbar-phone-menu-en")
    menu.locator("button[value=zh_CN]").click()
    page.wait_for_url(f"{live_server}/leaderboard/?period=week")
    expect(page.get_by_test_id("period-week")).to_have_text("本周")
    expect(page.get_by_test_id("nav-leaderboard")).to_have_text("排行榜")

    other = open_page("en")  # another person, the same page: their own menu
    other.goto("/login")
    login(other, bo.email)
    other.wait_for_url(f"{live_server}/")
    other.goto("/leaderboard/?period=week")
    other.get_by_test_id("nav-user-menu").click()
    expect(other.locator(".dropdown-menu-end")).to_contain_text("Bo Desk")
    expect(other.locator(".dropdown-menu-end")).not_to_contain_text("Ada Phone")
    screenshot(other, "navbar-user-menu-en")
