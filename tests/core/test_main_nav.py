"""The main navigation is kept per language, role and page: each reader still gets their own
role's menu in their own language, with the page they are on marked."""

from __future__ import annotations

import re

from community.accounts.models import Role
from community.accounts.services import update_settings
from tests.factories import make_user
from tests.referrals.factories import make_referral


def _nav(page: str) -> str:
    start = page.index('<ul class="navbar-nav me-auto">')
    return page[start : page.index("language-switcher-menu", start)]


def _active(page: str) -> list[str]:
    nav = _nav(page)
    return re.findall(
        r'class="(?:nav-link|dropdown-item|nav-link dropdown-toggle) active"[^>]*>(?:<i[^>]*></i>)?([^<]+)<',
        nav,
    )


def test_each_role_gets_its_own_menu_on_the_same_page(client, auth) -> None:
    hr, employee = make_user(role=Role.HR), make_user()
    auth.login(hr)
    assert "Review queue" in _nav(client.get("/leaderboard/").text)
    auth.logout()
    auth.login(employee)
    page = client.get("/leaderboard/").text
    assert "Review queue" not in page and "Leaderboard" in _nav(page)


def test_each_language_gets_its_own_labels(client, auth) -> None:
    me = make_user()
    auth.login(me)
    assert "Open jobs" in _nav(client.get("/leaderboard/").text)
    update_settings(me, None, "zh_CN", leaderboard_opt_out=False)
    nav = _nav(client.get("/leaderboard/").text)
    assert "开放岗位" in nav and "Open jobs" not in nav


def test_the_page_you_are_on_is_marked(client, auth) -> None:
    me = make_user()
    auth.login(me)
    assert _active(client.get("/leaderboard/").text) == ["Leaderboard"]
    assert _active(client.get("/thanks/").text) == ["Community", "Thanks wall"]
    assert _active(client.get(f"/people/{me.id}/profile").text) == []  # mine: the user menu
    other = make_user()
    assert _active(client.get(f"/people/{other.id}/profile").text) == ["Community"]


def test_a_referral_page_is_mine_for_its_referrer_and_hr_work_for_hr(client, auth) -> None:
    hr = make_user(role=Role.HR)
    referral = make_referral()
    auth.login(referral.referrer)
    assert _active(client.get(f"/referrals/{referral.id}").text) == ["My referrals"]
    auth.logout()
    auth.login(hr)
    assert _active(client.get(f"/referrals/{referral.id}").text) == ["HR"]
