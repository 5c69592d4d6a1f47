"""Badge pages: gallery, profile (opt-out, deactivated, HR tools), HR's levels page, hand grants,
the leaderboard's level and top badge, and the toast for a new badge."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import event

from community.accounts.models import Role, User
from community.badges import queries, services
from community.badges.models import Level
from community.extensions import db
from community.points.services import adjust_points
from community.referrals.models import Stage
from tests.badges.conftest import referral_by
from tests.factories import make_department, make_user
from tests.pipeline import advance, walk_to
from tests.referrals.factories import make_referral


def toasts(page: str) -> list[str]:
    found = re.search(r"id=\"page-toasts\" hidden data-toasts='([^']*)'", page)
    if not found:
        return []
    import html

    return [item["message"] for item in json.loads(html.unescape(found.group(1)))]


# Gallery and toast --------------------------------------------------------------------------


def test_gallery_shows_every_badge_tiers_and_mine(client, auth, hr: User) -> None:
    referral = make_referral()
    auth.login(referral.referrer)
    page = client.get("/badges/").get_data(as_text=True)
    assert page.count('data-testid="badge-card"') == 9  # with the mentor badge
    for name in ("First referral", "Hard-to-fill hero", "Monthly streak", "Referrer medal"):
        assert name in page
    assert "3 hires in the last 12 months" in page  # silver's default threshold
    card = page[page.index('data-badge="first_referral"') :]
    assert 'data-testid="badge-earned"' in card[: card.index('data-testid="badge-card"')]
    assert page.count('data-testid="badge-earned"') == 1


def test_gallery_in_chinese(client, auth) -> None:
    user = make_user(locale="zh_CN")
    auth.login(user)
    page = client.get("/badges/").get_data(as_text=True)
    assert "金牌内推人" in page and "新人" in page


def test_a_new_badge_toasts_once_on_a_full_page(client, auth, hr: User) -> None:
    referral = make_referral()
    auth.login(referral.referrer)
    first = client.get("/referrals/mine").get_data(as_text=True)
    assert toasts(first) == ["New badge: First referral!"]
    assert toasts(client.get("/referrals/mine").get_data(as_text=True)) == []
    advance(referral, Stage.INTERVIEWING, hr)
    assert toasts(client.get("/jobs/").get_data(as_text=True)) == ["New badge: First interview!"]


def test_a_new_badge_toasts_in_an_htmx_fragment(client, auth, hr: User) -> None:
    referral = make_referral()
    auth.login(referral.referrer)
    client.get("/badges/")  # the first-referral toast is shown here
    advance(referral, Stage.INTERVIEWING, hr)
    response = client.get("/leaderboard/?period=all", headers={"HX-Request": "true"})
    trigger = json.loads(response.headers["HX-Trigger"])
    assert [t["message"] for t in trigger["toast"]] == ["New badge: First interview!"]
    assert "HX-Trigger" not in client.get("/leaderboard/", headers={"HX-Request": "true"}).headers


# Profile ------------------------------------------------------------------------------------


@pytest.fixture
def people(hr: User) -> dict[str, User]:
    sales = make_department("Sales")
    ada = make_user(department=sales, name="Ada Scout")
    walk_to(referral_by(ada), Stage.HIRED, hr)
    shy = make_user(department=sales, name="Shy Sam", leaderboard_opt_out=True)
    adjust_points(hr, shy, 120, "Helped at the job fair")
    return {"ada": ada, "shy": shy, "other": make_user(name="Otto Other"), "hr": hr}


def test_profile_shows_level_badges_and_ranks(client, auth, people) -> None:
    auth.login(people["other"])
    page = client.get(f"/people/{people['ada'].id}/profile").get_data(as_text=True)
    assert "Ada Scout" in page and "Sales" in page
    assert 'data-testid="level-progress"' in page
    assert "First hire" in page and "Bronze referrer" in page
    assert 'data-testid="rank-company-all">#1<' in page
    assert 'data-testid="hr-tools"' not in page


def test_opted_out_ranks_are_private_to_others(client, auth, people) -> None:
    shy = people["shy"]
    auth.login(people["other"])
    page = client.get(f"/people/{shy.id}/profile").get_data(as_text=True)
    assert 'data-testid="ranks-private"' in page and 'data-testid="rank-table"' not in page
    assert "Talent Scout" in page  # 120 points: the level is not a rank
    auth.logout()
    auth.login(shy)
    page = client.get(f"/people/{shy.id}/profile").get_data(as_text=True)
    assert 'data-testid="rank-table"' in page and 'data-testid="ranks-hidden-note"' in page
    auth.logout()
    auth.login(people["hr"])
    page = client.get(f"/people/{shy.id}/profile").get_data(as_text=True)
    assert 'data-testid="rank-table"' in page


def test_deactivated_profiles_are_gone_except_for_hr(client, auth, people) -> None:
    ada = people["ada"]
    ada.is_active_account = False
    db.session.commit()
    auth.login(people["other"])
    assert client.get(f"/people/{ada.id}/profile").status_code == 404
    assert client.get("/people/987654/profile").status_code == 404
    auth.logout()
    auth.login(people["hr"])
    page = client.get(f"/people/{ada.id}/profile")
    assert page.status_code == 200 and "Deactivated" in page.get_data(as_text=True)


def test_profile_needs_login(client, people) -> None:
    response = client.get(f"/people/{people['ada'].id}/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# HR: grants and adjustments -----------------------------------------------------------------


def test_hr_grants_a_badge_with_a_reason_the_person_sees(client, auth, people) -> None:
    other = people["other"]
    auth.login(people["hr"])
    assert 'data-testid="hr-tools"' in client.get(f"/people/{other.id}/profile").get_data(
        as_text=True
    )
    response = client.post(
        f"/people/{other.id}/badges",
        data={"badge": "honest_matchmaker", "reason": "Five great referrals before the app"},
    )
    assert response.status_code == 302
    [award] = queries.badges_of(other)
    assert (award.badge_key, award.granted_by_id) == ("honest_matchmaker", people["hr"].id)
    auth.logout()
    auth.login(other)
    page = client.get(f"/people/{other.id}/profile").get_data(as_text=True)
    assert "Granted by Hana HR: Five great referrals before the app" in page
    assert "New badge: Honest matchmaker!" in toasts(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"badge": "", "reason": "x"}, "Please choose a badge."),
        ({"badge": "no_such_badge", "reason": "x"}, "Please choose a badge."),
        ({"badge": "gold_referrer", "reason": "x"}, "Please choose a tier of this badge."),
        ({"badge": "first_hire:gold", "reason": "x"}, "This badge has no tiers."),
        ({"badge": "first_hire", "reason": "   "}, "Please give a reason for granting the badge."),
        ({"badge": "first_hire", "reason": "x" * 501}, "The reason is too long"),
    ],
)
def test_grant_refuses_bad_input(client, auth, people, data, message) -> None:
    auth.login(people["hr"])
    response = client.post(f"/people/{people['other'].id}/badges", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert queries.badges_of(people["other"]) == []


def test_grant_twice_is_refused_politely(client, auth, people) -> None:
    auth.login(people["hr"])
    response = client.post(
        f"/people/{people['ada'].id}/badges", data={"badge": "first_hire", "reason": "again"}
    )
    assert response.status_code == 422
    assert "Ada Scout already has this badge." in response.get_data(as_text=True)


def test_only_hr_grants_or_adjusts(client, auth, people) -> None:
    manager = make_user(role=Role.MANAGER)
    for who in (people["other"], manager, people["ada"]):
        auth.logout()
        auth.login(who)
        target = people["other"].id
        assert (
            client.post(f"/people/{target}/badges", data={"badge": "first_hire", "reason": "x"})
        ).status_code == 403
        assert (
            client.post(f"/people/{target}/points", data={"amount": "5", "reason": "x"})
        ).status_code == 403
    with pytest.raises(services.BadgesNotAllowed):
        services.grant_badge(manager, people["other"], "first_hire", "x")
    assert queries.badges_of(people["other"]) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "ten", "reason": "x"}, "Please enter a whole number of points."),
        ({"amount": "0", "reason": "x"}, "not zero"),
        ({"amount": "5", "reason": ""}, "Please give a reason for the adjustment."),
    ],
)
def test_adjust_refuses_bad_input(client, auth, people, data, message) -> None:
    auth.login(people["hr"])
    response = client.post(f"/people/{people['other'].id}/points", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_hr_adjusts_points_from_the_profile(client, auth, people) -> None:
    auth.login(people["hr"])
    response = client.post(
        f"/people/{people['other'].id}/points", data={"amount": "150", "reason": "Meetup talk"}
    )
    assert response.status_code == 302
    assert queries.level_progress(people["other"]).level.name_en == "Talent Scout"


def test_the_adjustment_form_sent_twice_is_recorded_once(client, auth, people) -> None:
    """Issue 11 §6: the form carries a key; a second submit says it was already recorded."""
    auth.login(people["hr"])
    page = client.get(f"/people/{people['other'].id}/profile").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]{32})"', page)
    assert key, "the form carries its key"
    data = {"amount": "150", "reason": "Meetup talk", "key": key.group(1)}
    first = client.post(f"/people/{people['other'].id}/points", data=data)
    again = client.post(f"/people/{people['other'].id}/points", data=data, follow_redirects=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "already recorded" in again.get_data(as_text=True)
    assert queries.level_progress(people["other"]).score == 150


def test_an_adjustment_below_zero_is_refused_with_the_balance(client, auth, people) -> None:
    auth.login(people["hr"])
    response = client.post(
        f"/people/{people['other'].id}/points", data={"amount": "-5", "reason": "Counted twice"}
    )
    assert response.status_code == 409
    assert "has 0 points to spend" in response.get_data(as_text=True)


# Levels -------------------------------------------------------------------------------------


def level_form(*rows: tuple[str, str, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for i, (threshold, en, zh) in enumerate(rows):
        data |= {f"rows-{i}-threshold": threshold, f"rows-{i}-name_en": en, f"rows-{i}-name_zh": zh}
    return data


def test_hr_edits_levels(client, auth, hr: User) -> None:
    auth.login(hr)
    page = client.get("/badges/levels").get_data(as_text=True)
    assert page.count('data-testid="level-row"') == 5 + 2  # five levels and two spare rows
    response = client.post(
        "/badges/levels",
        data=level_form(("50", "Scout", "伯乐"), ("0", "Rookie", "新手"), ("", "", "")),
    )
    assert response.status_code == 302
    assert [(lv.threshold, lv.name_en) for lv in queries.levels()] == [(0, "Rookie"), (50, "Scout")]
    me = make_user(locale="zh_CN")
    adjust_points(hr, me, 60, "x")
    assert queries.level_progress(me).level.name_in("zh_CN") == "伯乐"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("10", "A", "甲"), ("50", "B", "乙")), "The first level must start at 0 points."),
        ((("0", "A", "甲"), ("0", "B", "乙")), "Two levels cannot have the same threshold."),
        ((("0", "A", "甲"), ("-5", "B", "乙")), "Thresholds must be whole numbers from 0"),
        ((("0", "A", ""),), "Every level needs a name in both English and Chinese."),
        ((("0", "A", "甲"), ("", "B", "乙")), "Every level needs a points threshold."),
        ((("0", "A", "甲"), ("abc", "B", "乙")), "Thresholds must be whole numbers."),
        ((("", "", ""),), "Keep at least one level."),
    ],
)
def test_levels_validation(client, auth, hr: User, rows, message) -> None:
    auth.login(hr)
    response = client.post("/badges/levels", data=level_form(*rows))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(queries.levels()) == 5  # nothing half-written


def test_gold_thresholds_validation(client, auth, hr: User) -> None:
    auth.login(hr)
    response = client.post("/badges/gold", data={"bronze": "3", "silver": "3", "gold": "5"})
    assert response.status_code == 422
    assert "Silver must need more hires than bronze" in response.get_data(as_text=True)
    response = client.post("/badges/gold", data={"bronze": "0", "silver": "3", "gold": "5"})
    assert response.status_code == 422
    assert queries.gold_thresholds() == {"bronze": 1, "silver": 3, "gold": 5}


def test_only_hr_edits_levels(client, auth) -> None:
    auth.login(make_user())
    assert client.get("/badges/levels").status_code == 403
    response = client.post("/badges/levels", data=level_form(("0", "X", "X")))
    assert response.status_code == 403
    assert (
        client.post("/badges/gold", data={"bronze": "1", "silver": "2", "gold": "3"}).status_code
        == 403
    )
    assert len(queries.levels()) == 5
    assert db.session.query(Level).count() == 5


# Leaderboard --------------------------------------------------------------------------------


def test_leaderboard_rows_show_level_and_top_badge_without_n_plus_1(
    app, client, auth, hr: User
) -> None:
    sales = make_department("Sales")
    star = make_user(department=sales, name="Star Gold")
    for _ in range(3):
        walk_to(referral_by(star), Stage.HIRED, hr)  # bronze and silver: silver is the top badge
    for i in range(6):
        adjust_points(hr, make_user(department=sales, name=f"Filler {i}"), 10 + i, "x")
    auth.login(star)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get("/leaderboard/?period=all").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    table = page[page.index('data-testid="leaderboard"') : page.index('data-testid="my-rank"')]
    star_row = table[table.index("Star Gold") :].split("</tr>")[0]
    assert "Talent Scout" in star_row or "Seasoned Scout" in star_row
    assert 'data-badge="gold_referrer:silver"' in star_row
    assert f'href="/people/{star.id}/profile"' in table
    assert table.count('data-testid="level-pill"') == 7
    # Badge lookups for the rows (the layout's own count of new badges and the toast aside).
    badge_queries = [s for s in statements if "FROM user_badges" in s and " IN (" in s]
    level_queries = [s for s in statements if "FROM levels" in s]
    assert 1 <= len(badge_queries) <= 2 and 1 <= len(level_queries) <= 2  # a batch, not per row
    screen = client.get("/leaderboard/screen?period=all").get_data(as_text=True)
    assert 'data-badge="gold_referrer:silver"' in screen


def test_recent_points_on_a_profile_say_what_earned_them(client, auth, people) -> None:
    """The profile's recent points read as "My points" does (points.causes), not as raw keys."""
    walk_to(referral_by(people["other"]), Stage.INTERVIEWING, people["hr"])
    auth.login(people["other"])
    page = client.get(f"/people/{people['other'].id}/profile").get_data(as_text=True)
    history = page[page.index('data-testid="points-history"') :]
    assert "Interview" in history or "interview" in history
    assert "Referral #" not in history
