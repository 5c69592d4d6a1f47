"""Browser journey: HR appoints a colleague to the referrer club from their profile and makes
them a moderator; the mark shows next to their name there and on the members page. In English
and in Chinese, with screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from tests.browser.conftest import lang_screenshot, login
from tests.factories import make_user

TEXT = {
    "en": {"member": "Club member", "moderator": "Moderator", "members": "Referrer club members"},
    "zh_CN": {"member": "俱乐部成员", "moderator": "版主", "members": "内推人俱乐部成员"},
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_hr_appoints_a_member_and_a_moderator(open_page, lang: str) -> None:
    text = TEXT[lang]
    hr = make_user(role=Role.HR, locale=lang)
    person = make_user(name="Lin Mei" if lang == "en" else "林梅")
    page: Page = open_page(lang)
    login(page, hr.email)
    page.goto(f"/people/{person.id}/profile")
    page.get_by_test_id("club-appoint").click()
    expect(page.get_by_test_id("club-mark-member")).to_contain_text(text["member"])
    expect(page.get_by_test_id("club-since")).to_be_visible()
    page.get_by_test_id("club-moderator").click()
    expect(page.get_by_test_id("club-mark-moderator")).to_contain_text(text["moderator"])
    lang_screenshot(page, "club-profile", lang)

    page.goto("/club/members")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["members"])
    row = page.get_by_test_id("club-member").filter(has_text=person.name)
    expect(row.get_by_test_id("club-mark-moderator")).to_be_visible()
    lang_screenshot(page, "club-members", lang)
