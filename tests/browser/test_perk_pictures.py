"""Browser: the perk shop shows a real picture on every card, the illustration of each perk's kind
when HR uploaded none, at a laptop's width and a phone's; screenshots for a person to look at."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from community.accounts.models import Role
from community.demo.data import PERKS
from community.perks import services as perk_services
from community.perks.models import PerkCategory
from community.points.services import adjust_points
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_user

# A lazy picture scrolled into view is only requested then: wait for its load or error event
# rather than reading `complete` while the request is still in flight.
# Fifteen seconds at most, so a picture that is never requested fails the test instead of hanging.
WHEN_LOADED = """img => (img.complete ? Promise.resolve() : new Promise(done => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
    setTimeout(done, 15000);
})).then(() => img.complete && img.naturalWidth > 0)"""


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("en", 375), ("zh_CN", 1366)])
def test_every_perk_card_shows_a_drawn_picture(app: Flask, open_page, lang: str, width: int):
    hr = make_user(role=Role.HR, email="hr@example.com", locale=lang)
    employee = make_user(email="emp@example.com", locale=lang)
    with app.test_request_context():
        for name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, kind in PERKS:
            fields = perk_services.PerkFields(
                name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, True, kind
            )
            perk_services.create_perk(hr, fields, None)
        fields = perk_services.PerkFields(
            "Cinema tickets", "电影票", "Two tickets.", "两张电影票。", 120, None, None, True, True,
            PerkCategory.EXPERIENCE,
        )  # fmt: skip
        perk_services.create_perk(hr, fields, None)
        adjust_points(hr, employee, 350, "Referral fair")

    page = open_page(lang, {"width": width, "height": 900})
    login(page, "emp@example.com")
    page.goto("/perks/")
    htmx_settled(page)
    cards = page.get_by_test_id("perk-card")
    expect(cards).to_have_count(len(PERKS) + 1)
    pictures = page.locator("[data-testid=perk-card] img[data-testid=perk-illustration]")
    expect(pictures).to_have_count(len(PERKS) + 1)
    for picture in pictures.all():
        picture.scroll_into_view_if_needed()
        expect(picture).to_be_visible()
        loaded = picture.evaluate(WHEN_LOADED)
        assert loaded, picture.get_attribute("src")
        box = picture.bounding_box()
        assert box is not None and abs(box["width"] / box["height"] - 16 / 9) < 0.05
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate("window.scrollTo(0, 0)")
    lang_screenshot(page, f"perk-shop-{width}", lang)
