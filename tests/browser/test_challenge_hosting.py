"""Browser journey: a manager hosts a challenge for their team with a first-place prize and
submits it; HR approves it from the queue. Then the host's view of a challenge that has run a
few days. Screenshots of the form and the host view at 1366 and 375 px."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.challenges import entries, lifecycle
from community.challenges.models import PeopleScope
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from community.pipeline import Stage
from tests.browser.conftest import htmx_settled, login, open_menu, screenshot
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_job, make_user
from tests.perks.factories import make_perk
from tests.pipeline import advance
from tests.referrals.factories import make_referral

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def shot(page: Page, name: str) -> None:
    """A screenshot from the top once the icon font is in (no empty squares for icons)."""
    page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    screenshot(page, f"challenge-{name}")


def test_a_manager_hosts_a_team_challenge_and_hr_approves_it(app: Flask, open_page) -> None:
    sales = make_department("销售部")
    make_user(role=Role.HR, email="hr@example.com", name="Hannah HR", department=sales)
    manager = make_user(
        role=Role.MANAGER, email="mgr@example.com", name="Mona Manager", department=sales
    )
    for name in ("Tom Teammate", "Tina Teammate"):
        make_user(name=name, department=sales, manager_id=manager.id)
    make_job(title="Key Account Manager", hard_to_fill=True)
    make_perk(name_en="Team dinner", name_zh="团队聚餐", stock=4)

    page = open_page("en", WIDE)
    login(page, "mgr@example.com")
    page.goto("/challenges/new")
    expect(page.locator("#team_mode")).to_have_count(0)  # a manager's challenge is one team's
    expect(page.get_by_test_id("time-zone")).to_contain_text("Asia/Shanghai")
    expect(page.locator(".when-departments")).to_be_hidden()  # "My team" is chosen
    page.get_by_label("My department").check()
    expect(page.locator(".when-departments")).to_be_visible()
    page.get_by_label("My team (direct reports)").check()
    page.fill("#title", "销售团队内推冲刺")
    page.fill("#title_en", "Sales team referral sprint")
    page.fill("#description_en", "Refer the people you would love to work with again.")
    expect(page.locator(".when-multiplied")).to_be_hidden()
    page.select_option("#multiplier_percent", "200")
    expect(page.locator("#multiplier_job_ids option:checked")).to_have_text("Key Account Manager ★")
    shot(page, "form-1366")
    page.set_viewport_size(PHONE)
    shot(page, "form-375")
    page.set_viewport_size(WIDE)
    page.get_by_test_id("save-challenge").click()
    expect(page.locator(".alert-success")).to_contain_text("Draft saved")
    challenge_id = int(re.search(r"/challenges/(\d+)", page.url).group(1))  # type: ignore[union-attr]

    page.goto(f"/challenges/{challenge_id}/edit")
    htmx_settled(page)
    expect(page.get_by_test_id("no-prizes")).to_be_visible()
    prize_form = page.get_by_test_id("prize-form")
    expect(prize_form.locator(".when-threshold")).to_be_hidden()
    prize_form.locator("#rank_from").fill("1")
    prize_form.locator("#points").fill("300")
    prize_form.locator("#perk_id").select_option(label="Team dinner")
    prize_form.get_by_label("Challenge-winner badge").check()
    page.get_by_test_id("add-prize").click()
    expect(page.get_by_test_id("prize")).to_have_count(1)
    expect(page.get_by_test_id("prize")).to_contain_text("Rank 1")
    expect(page.get_by_test_id("prize")).to_contain_text("voucher: Team dinner")
    expect(page.get_by_test_id("toast").first).to_contain_text("Prize added.")
    htmx_settled(page)
    shot(page, "edit-1366")
    page.get_by_test_id("submit-challenge").click()
    expect(page.locator(".alert-success")).to_contain_text("Sent to HR for approval")

    hr_page = open_page("en", WIDE)
    login(hr_page, "hr@example.com")
    hr_page.goto("/")
    open_menu(hr_page, "HR")
    hr_page.get_by_test_id("nav-challenge-approvals").click()
    card = hr_page.get_by_test_id("approval")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Sales team referral sprint")
    expect(card.get_by_test_id("approval-scope")).to_contain_text("Mona Manager's team")
    expect(card.get_by_test_id("approval-prizes")).to_contain_text("Team dinner")
    shot(hr_page, "approvals-1366")
    htmx_settled(hr_page)
    card.get_by_test_id("approve").click()
    expect(hr_page.get_by_test_id("approvals-empty")).to_be_visible()
    expect(hr_page.get_by_test_id("toast").first).to_contain_text("is scheduled")

    page.goto(f"/challenges/{challenge_id}/edit")
    expect(page.get_by_test_id("next-step")).to_contain_text("Scheduled")


def _challenge_with_history(hr, members, job):  # noqa: ANN001, ANN202
    """HR's company challenge that started three days ago, with referrals before and in it."""
    now = utcnow()
    for days, count in ((6, 1), (5, 2), (4, 1)):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            for i in range(count):
                make_referral(members[i % len(members)], job)
    with time_machine.travel(now - timedelta(days=3), tick=False):
        challenge = make_challenge(
            hr,
            title="全公司内推月",
            title_en="Company referral month",
            people_scope=PeopleScope.COMPANY,
            multiplier_percent=150,
            ends_at=now + timedelta(days=11),
            prizes=[
                PrizeFields(rank_from=1, points=500, badge=True, thanks=True),
                PrizeFields(rank_from=2, rank_to=5, points=100),
            ],
        )
        lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    for days, count in ((3, 2), (2, 3), (1, 1), (0, 2)):
        moment = now - timedelta(days=days) + timedelta(hours=1 if days else -1)
        with time_machine.travel(moment, tick=False):
            for i in range(count):
                referral = make_referral(members[i % len(members)], job)
                advance(referral, Stage.INTERVIEWING if i == 0 else Stage.SCREENING, hr)
    entries.join_challenge(members[2], challenge.id)
    entries.set_disqualified(hr, challenge.id, members[1].id, True, "Referred a relative")
    return challenge


def test_the_host_view_of_a_challenge_that_has_run_a_few_days(app: Flask, open_page) -> None:
    sales, research = make_department("销售部"), make_department("研发中心")
    hr = make_user(role=Role.HR, email="hr2@example.com", name="Hannah HR", department=sales)
    members = [
        make_user(name="Li Lei", department=sales),
        make_user(name="Han Meimei", department=research),
        make_user(name="Wang Fang", department=research),
    ]
    challenge = _challenge_with_history(hr, members, make_job(title="Sales Director"))

    page = open_page("en", WIDE)
    login(page, "hr2@example.com")
    page.goto(f"/challenges/{challenge.id}/host")
    expect(page.get_by_test_id("participant")).to_have_count(3)
    expect(page.locator("figure.chart tbody tr")).to_have_count(4)
    page.wait_for_function(  # Chart.js drew the chart from the table
        "() => window.Chart && Chart.getChart(document.querySelector('figure.chart canvas'))"
    )
    expect(page.get_by_test_id("bonus-points")).not_to_have_text("0 pts")
    shot(page, "host-1366")
    page.set_viewport_size(PHONE)
    shot(page, "host-375")

    page.set_viewport_size(WIDE)
    htmx_settled(page)
    row = page.get_by_test_id("participant").filter(has_text="Han Meimei")
    row.get_by_test_id("reinstate").click()
    expect(page.get_by_test_id("toast").first).to_contain_text("back in the standings")
    expect(page.get_by_test_id("disqualified")).to_have_count(0)
