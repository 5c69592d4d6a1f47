"""The employee dashboard: points, this month's ranks, and what happens when Redis is away."""

from __future__ import annotations

import re

from community.accounts.models import Role, User
from community.accounts.services import update_settings
from community.points.services import adjust_points
from tests.factories import make_department, make_user
from tests.redis_server import RedisServer


def stat(page: str, testid: str) -> str:
    """The text inside the element marked `data-testid=testid`, whitespace collapsed."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    assert match, testid
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_dashboard_shows_points_and_this_months_ranks(client, auth, hr: User) -> None:
    engineering, sales = make_department("Engineering"), make_department("Sales")
    me = make_user(department=engineering)
    adjust_points(hr, make_user(department=sales), 90, "Ran the campus day")
    adjust_points(hr, make_user(department=engineering), 10, "Shared a tip")
    adjust_points(hr, me, 40, "Hosted the referral workshop")
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-lifetime-points">40<' in page
    assert 'data-testid="home-spendable-points">40<' in page
    assert "#2" in stat(page, "home-rank-company")
    assert "#1" in stat(page, "home-rank-department")


def test_a_newcomer_sees_no_rank_yet(client, auth) -> None:
    auth.login(make_user())
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-lifetime-points">0<' in page
    assert "No points yet this month" in stat(page, "home-rank-company")


def test_an_opted_out_person_still_sees_their_own_rank_privately(client, auth, hr: User) -> None:
    me = make_user()
    adjust_points(hr, me, 25, "Mentored a new referrer")
    update_settings(me, display_name=None, locale="en", leaderboard_opt_out=True)
    auth.login(me)
    page = client.get("/").get_data(as_text=True)
    assert "#1" in stat(page, "home-rank-company")
    assert "only you see your rank" in page


def test_hr_left_off_the_boards_has_no_rank_cards(client, auth) -> None:
    auth.login(make_user(role=Role.HR))
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-standing"' in page
    assert "home-rank-company" not in page


def test_the_dashboard_renders_while_redis_is_away(
    client, auth, hr: User, own_redis: RedisServer
) -> None:
    me = make_user()
    adjust_points(hr, me, 15, "Helped at the hiring fair")
    own_redis.stop()
    auth.login(me)
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="home-lifetime-points">15<' in page
    assert "Temporarily unavailable" in stat(page, "home-rank-company")


def test_dashboard_shows_level_progress_and_newest_badges(client, auth, hr: User) -> None:
    from tests.referrals.factories import make_referral

    referral = make_referral()  # the first referral earns a badge
    adjust_points(hr, referral.referrer, 120, "Organised the referral lunch")
    auth.login(referral.referrer)
    page = client.get("/").get_data(as_text=True)
    level = page[page.index('data-testid="home-level"') : page.index("home-lifetime-points")]
    assert "Talent Scout" in level  # 120 points: past the 100-point level
    assert "180 points to Seasoned Scout" in level
    badges = page[page.index('data-testid="home-badges"') :]
    assert 'data-badge="first_referral"' in badges.split("</div>")[0]


def test_every_page_names_its_icon_and_the_icon_is_served(client):
    page = client.get("/login").text
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
