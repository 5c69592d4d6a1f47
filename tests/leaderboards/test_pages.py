"""Leaderboard pages: periods and scopes, the htmx fragment, my rank (public, private, HR), Redis
away, bad input, login, and the office screen."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from markupsafe import escape

from community.accounts.models import Role, User
from community.accounts.services import update_settings
from community.badges import registry
from community.badges.services import LevelRow, award_badge, grant_badge, save_levels
from community.extensions import db, redis_store
from community.leaderboards import keys, periods, rebuild, recovery
from community.points.services import adjust_points
from tests.factories import make_department, make_user
from tests.redis_server import RedisServer

BOARD_ROW = re.compile(r'data-testid="board-row"')


def give(hr: User, user: User, amount: int) -> None:
    adjust_points(hr, user, amount, "Hosted the referral workshop")


def board_table(page: str) -> str:
    """The public table only (the navbar and the my-rank card also name people)."""
    return page[page.index('data-testid="leaderboard"') : page.index('data-testid="my-rank"')]


def rows(response) -> int:
    return len(BOARD_ROW.findall(response.get_data(as_text=True)))


@pytest.fixture
def team(hr: User) -> dict[str, User]:
    """Two departments: Ada (50) and me (30) in Engineering, Bo (40) in Sales."""
    engineering, sales = make_department("Engineering"), make_department("Sales")
    people = {
        "ada": make_user(department=engineering, name="Ada Engineer"),
        "me": make_user(department=engineering, name="Mia Me"),
        "bo": make_user(department=sales, name="Bo Sales"),
    }
    give(hr, people["ada"], 50)
    give(hr, people["bo"], 40)
    give(hr, people["me"], 30)
    return people


def test_anonymous_visitors_are_sent_to_login(client) -> None:
    for path in ("/leaderboard/", "/leaderboard/screen"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login?")


def test_the_nav_links_to_the_leaderboard(client, auth, team) -> None:
    auth.login(team["me"])
    page = client.get("/jobs/").get_data(as_text=True)
    assert 'href="/leaderboard/"' in page and "Leaderboard" in page


@pytest.mark.parametrize("period", periods.PERIODS)
def test_every_period_of_the_company_board(client, auth, team, period: str) -> None:
    auth.login(team["me"])
    response = client.get(f"/leaderboard/?period={period}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert rows(response) == 3
    table = board_table(page)
    assert table.index("Ada Engineer") < table.index("Bo Sales") < table.index("Mia Me")
    assert f'data-testid="period-{period}"' in page
    assert re.search(rf'class="nav-link active"[^>]*data-testid="period-{period}"', page)
    assert re.search(r'<tr class="table-primary[^"]*" aria-current="true"', page)  # me


@pytest.mark.parametrize("period", periods.PERIODS)
def test_every_period_of_my_department(client, auth, team, period: str) -> None:
    auth.login(team["me"])
    dept = team["me"].department_id
    response = client.get(f"/leaderboard/?period={period}&department={dept}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert rows(response) == 2 and "Bo Sales" not in board_table(page)
    assert "#2" in page  # my rank in Engineering


def test_another_department(client, auth, team) -> None:
    auth.login(team["me"])
    response = client.get(f"/leaderboard/?department={team['bo'].department_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert rows(response) == 1 and "Ada Engineer" not in board_table(page)
    assert "This board counts the people of Sales only." in page
    dept = team["bo"].department_id
    with client.application.test_request_context():
        links = {
            "period-week": url_for("leaderboards.index", period="week", department=dept),
            "scope-company": url_for("leaderboards.index", period="month"),
            "screen-link": url_for("leaderboards.screen", period="month", department=dept),
        }
    for testid, href in links.items():  # the tabs keep the other choice, as url_for spells it
        assert re.search(rf'href="{re.escape(escape(href))}"[^>]*data-testid="{testid}"', page)


def test_my_rank_and_the_people_around_me(client, auth, team) -> None:
    auth.login(team["me"])
    page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    card = page[page.index('data-testid="my-rank"') :]
    assert 'data-testid="my-rank-number">#3<' in card and "30 points" in card
    assert "#2 Bo Sales" in card and "#1 Ada Engineer" in card


def test_the_htmx_fragment_is_only_the_board(client, auth, team) -> None:
    auth.login(team["me"])
    response = client.get("/leaderboard/?period=week", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="board"')
    assert '<nav class="navbar' not in page and "<html" not in page
    assert rows(response) == 3
    assert "HX-Request" in response.headers["Vary"]
    restore = client.get(
        "/leaderboard/?period=week",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.get_data(as_text=True)  # going back restores the whole page


@pytest.mark.parametrize(
    "query",
    [
        "period=decade",
        "period=2026-W48",
        "period=%3Cscript%3E",
        "department=abc",
        "department=-1",
        "department=99999",
        "department=99999999999999999999999",
        "department=1%200",
    ],
)
def test_bad_input_is_a_404_never_a_500(client, auth, team, query: str) -> None:
    auth.login(team["me"])
    assert client.get(f"/leaderboard/?{query}").status_code == 404
    assert client.get(f"/leaderboard/screen?{query}").status_code == 404


def test_an_empty_department_value_means_the_whole_company(client, auth, team) -> None:
    auth.login(team["me"])
    response = client.get("/leaderboard/?period=month&department=")
    assert response.status_code == 200 and rows(response) == 3


def test_an_empty_board_says_how_to_get_on_it(client, auth) -> None:
    auth.login(make_user(name="Newcomer Nan"))
    page = client.get("/leaderboard/?period=week").get_data(as_text=True)
    assert 'data-testid="board-empty"' in page and 'href="/jobs/"' in page
    assert "You have no points on this board yet." in page


def test_an_opted_out_person_sees_their_private_rank(client, auth, team, hr) -> None:
    update_settings(team["me"], None, "en", leaderboard_opt_out=True)
    give(hr, team["me"], 15)  # 45: second, where only they can see it
    auth.login(team["me"])
    page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    assert "Mia Me" not in board_table(page)  # not on the public board
    assert 'data-testid="my-rank-number">#2<' in page and "45 points" in page
    assert "You are hidden from the leaderboard: only you see your rank." in page
    assert 'href="/settings"' in page
    auth.logout()
    auth.login(team["ada"])
    assert "Mia Me" not in client.get("/leaderboard/?period=all").get_data(as_text=True)
    assert "Mia Me" not in client.get("/leaderboard/screen?period=all").get_data(as_text=True)


def test_hr_sees_why_they_have_no_rank(client, auth, team, hr) -> None:
    auth.login(hr)
    page = client.get("/leaderboard/").get_data(as_text=True)
    assert 'data-testid="hr-note"' in page and 'data-testid="my-rank-number"' not in page
    assert len(BOARD_ROW.findall(page)) == 3


def test_redis_away_still_renders_the_page(client, auth, team, own_redis: RedisServer) -> None:
    auth.login(team["me"])
    own_redis.stop()
    for path in ("/leaderboard/", "/leaderboard/screen", "/leaderboard/?period=week"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'data-testid="board-unavailable"' in response.get_data(as_text=True)
    fragment = client.get("/leaderboard/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "temporarily unavailable" in fragment.get_data(
        as_text=True
    )
    page = client.get("/leaderboard/").get_data(as_text=True)  # the way to other boards stays
    assert 'data-testid="scope-company"' in page and 'data-testid="scope-mine"' in page
    assert f'<option value="{team["bo"].department_id}" >Sales</option>' in page


def test_the_office_screen(client, auth, team, hr) -> None:
    for n in range(12):
        give(hr, make_user(name=f"Extra {n:02d}"), 1 + n)
    auth.login(team["me"])
    response = client.get("/leaderboard/screen?period=month")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert rows(response) == 10  # top 10 only
    assert 'hx-trigger="every 60s"' in page and 'hx-get="/leaderboard/screen?period=month"' in page
    assert "app-navbar" not in page and "<script>" not in page  # no navigation, no inline JS
    assert "This month" in page and "Updated" in page
    fragment = client.get("/leaderboard/screen?period=month", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<main id="screen"') and "<html" not in body
    dept = team["bo"].department_id
    sales = client.get(f"/leaderboard/screen?department={dept}&period=week")
    assert "Bo Sales" in sales.get_data(as_text=True) and rows(sales) == 1


def test_every_role_reaches_the_board(client, auth, team) -> None:
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.HR):
        auth.logout()
        auth.login(make_user(role=role))
        assert client.get("/leaderboard/").status_code == 200
        assert client.get("/leaderboard/screen").status_code == 200


def test_chinese_labels(client, auth, team) -> None:
    update_settings(team["me"], None, "zh_CN", leaderboard_opt_out=False)
    auth.login(team["me"])
    page = client.get("/leaderboard/?period=week").get_data(as_text=True)
    assert "本周" in page and "排行榜" in page


# Nothing of the page is cached: every change shows on the next page load.


def test_no_piece_of_the_page_is_kept_in_redis(client, auth, team) -> None:
    """Boards are read live from their sorted sets: a page leaves no copy behind that could go
    stale (issue 10: a cache must change exactly when what it shows changes, or not exist)."""
    auth.login(team["me"])
    before = set(redis_store.client.scan_iter(f"{keys.prefix()}:*"))
    for period in ("week", "month", "all"):
        assert rows(client.get(f"/leaderboard/?period={period}")) == 3
    assert set(redis_store.client.scan_iter(f"{keys.prefix()}:*")) == before


def test_a_points_change_shows_on_the_very_next_page_load(client, auth, team, hr) -> None:
    auth.login(team["me"])
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert table.index("Ada Engineer") < table.index("Bo Sales") < table.index("Mia Me")
    give(hr, team["me"], 100)  # 130: first
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert table.index("Mia Me") < table.index("Ada Engineer") < table.index("Bo Sales")
    assert "130" in table
    give(hr, team["bo"], 1)  # someone else's points: the other people see it too
    auth.logout()
    auth.login(team["ada"])
    assert "41" in board_table(client.get("/leaderboard/").get_data(as_text=True))


def test_the_viewer_row_is_marked_for_each_viewer(client, auth, team) -> None:
    auth.login(team["me"])
    for name in ("me", "ada"):
        auth.logout()
        auth.login(team[name])
        table = board_table(client.get("/leaderboard/").get_data(as_text=True))
        mine = re.findall(r'<tr class="table-primary[^"]*"[^>]*>.*?</tr>', table, re.S)
        assert len(mine) == 1 and team[name].shown_name in mine[0]


def test_names_opt_outs_badges_and_levels_show_on_the_next_load(client, auth, team, hr) -> None:
    auth.login(team["me"])
    client.get("/leaderboard/")
    update_settings(team["bo"], "Bo the Builder", "en", leaderboard_opt_out=False)
    assert "Bo the Builder" in board_table(client.get("/leaderboard/").get_data(as_text=True))

    team["ada"].department.name = "Platform"
    db.session.commit()
    page = client.get("/leaderboard/").get_data(as_text=True)
    assert "Platform" in board_table(page)
    picker = page[page.index('id="lb-department"') : page.index("</select>")]
    assert f'<option value="{team["ada"].department_id}" >Platform</option>' in picker

    assert "board-extras" not in board_table(page)  # no level, no badge: no empty line
    grant_badge(hr, team["ada"], "honest_matchmaker", "Ran the workshop")
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert (
        'data-badge="honest_matchmaker' in table and table.count('data-testid="board-extras"') == 1
    )

    save_levels(hr, [LevelRow(0, "Rookie", "新手"), LevelRow(45, "Star", "明星")])
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert "Star" in table and "Rookie" in table

    update_settings(team["ada"], None, "en", leaderboard_opt_out=True)
    assert "Ada Engineer" not in board_table(client.get("/leaderboard/").get_data(as_text=True))


def test_each_reader_sees_the_rows_in_their_language(client, auth, team, hr) -> None:
    save_levels(hr, [LevelRow(0, "Rookie", "新手")])
    auth.login(team["me"])
    assert "Rookie" in board_table(client.get("/leaderboard/").get_data(as_text=True))
    update_settings(team["me"], None, "zh_CN", leaderboard_opt_out=False)
    assert "新手" in board_table(client.get("/leaderboard/").get_data(as_text=True))


def test_a_rebuild_shows_the_same_board(client, auth, team) -> None:
    auth.login(team["me"])
    client.get("/leaderboard/")
    redis_store.client.flushdb()
    rebuild.rebuild()
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert table.index("Ada Engineer") < table.index("Bo Sales") < table.index("Mia Me")


def test_boards_redis_lost_are_away_until_rebuilt(client, auth, team) -> None:
    """Redis came back empty: the page does not show the empty (or half-filled) boards as if they
    were the standings. It says the board is away and has it rebuilt from the ledger."""
    auth.login(team["me"])
    assert rows(client.get("/leaderboard/?period=all")) == 3
    redis_store.client.flushdb()
    redis_store.client.set(keys.recovery_lock_key(), "another process")
    page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    assert 'data-testid="board-unavailable"' in page and not BOARD_ROW.search(page)
    redis_store.client.delete(keys.recovery_lock_key())
    client.get("/leaderboard/?period=all")  # this reader starts the rebuild
    recovery.wait_for_recovery(30)
    page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    assert 'data-testid="board-unavailable"' not in page and len(BOARD_ROW.findall(page)) == 3
    assert 'data-testid="my-rank-number">#3<' in page


def test_a_name_that_looks_like_the_cache_separators_is_just_a_name(client, auth, team) -> None:
    update_settings(team["bo"], 'Bo<!--|-->"<my-rank><scope-tabs>', "en", leaderboard_opt_out=False)
    auth.login(team["me"])
    first = client.get("/leaderboard/")
    again = client.get("/leaderboard/")
    for response in (first, again):
        table = board_table(response.get_data(as_text=True))
        assert rows(response) == 3
        assert "Bo&lt;!--|--&gt;&#34;&lt;my-rank&gt;&lt;scope-tabs&gt;" in table
        assert table.count('aria-current="true"') == 1 and "Mia Me" in table
        page = response.get_data(as_text=True)
        assert (
            page.count('data-testid="my-rank"') == 1 and page.count('data-testid="scope-mine"') == 1
        )


def test_each_viewer_gets_their_own_tabs_and_rank(client, auth, team) -> None:
    auth.login(team["me"])
    client.get("/leaderboard/?period=all")
    auth.logout()
    auth.login(team["bo"])
    page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    mine = re.search(r'href="([^"]+)"[^>]*data-testid="scope-mine"', page)
    assert mine and f"department={team['bo'].department_id}" in mine.group(1)
    card = page[page.index('data-testid="my-rank"') :]
    assert 'data-testid="my-rank-number">#2<' in card and "#1 Ada Engineer" in card
    assert "#3 Mia Me" in card
    marked = re.findall(r'<tr class="table-primary[^"]*"[^>]*>.*?</tr>', board_table(page), re.S)
    assert len(marked) == 1 and "Bo Sales" in marked[0]


def test_the_rank_card_follows_every_change(client, auth, team, hr) -> None:
    def card() -> str:
        page = client.get("/leaderboard/?period=all").get_data(as_text=True)
        return page[page.index('data-testid="my-rank"') : page.index("</main>")]

    auth.login(team["me"])
    assert "#2 Bo Sales" in card()
    update_settings(team["bo"], "Bo the Builder", "en", leaderboard_opt_out=False)
    assert "#2 Bo the Builder" in card()
    give(hr, team["me"], 15)  # 45: second
    assert 'data-testid="my-rank-number">#2<' in card() and "#3 Bo the Builder" in card()
    update_settings(team["me"], None, "en", leaderboard_opt_out=True)
    assert 'data-testid="private-note"' in card()
    update_settings(team["me"], None, "zh_CN", leaderboard_opt_out=True)
    assert "我的排名" in card()


def test_a_badge_worth_no_points_shows_on_the_very_next_load(client, auth, team) -> None:
    """The bronze gold-referrer tier is worth 0 points and is written by INSERT … ON CONFLICT:
    no ledger entry, no ORM flush of a board row. The board still shows it at once."""
    auth.login(team["me"])
    assert "board-extras" not in board_table(client.get("/leaderboard/").get_data(as_text=True))
    badge = registry.get(registry.GOLD_REFERRER)
    assert badge is not None and badge.points_for("bronze") == 0
    award_badge(team["bo"].id, badge, "bronze")
    db.session.commit()
    table = board_table(client.get("/leaderboard/").get_data(as_text=True))
    assert 'data-badge="gold_referrer' in table and table.count('data-testid="board-extras"') == 1
