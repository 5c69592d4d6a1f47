"""Browser journey (issue 12), end to end: a manager creates a challenge for their team with a
first prize and submits it, HR approves it, the worker's clock takes it live; an employee of
the team refers, HR moves the referral to hired, and the challenge board shows the points at
once; the clock moves past the end and the settlement period, the worker freezes and pays it,
and the winner sees the prize points on My points, the challenge-winner badge, and the thanks
post naming them. The clock is moved with time-machine (the live server shares it); the worker's
duty runs where the worker would run it."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.challenges import lifecycle
from community.challenges.models import Challenge, ChallengeStatus
from community.core.time import local_today, to_local, utcnow
from community.extensions import db
from community.pipeline import Stage
from tests.browser.conftest import htmx_settled, login, screenshot
from tests.factories import make_department, make_job, make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral

WIDE = {"width": 1366, "height": 900}


def local_field(moment) -> str:  # noqa: ANN001
    """A naive-UTC moment as the form's datetime-local value, in the company zone."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def keep_time() -> int:
    """The worker's minute, at the (moved) clock's now."""
    done = lifecycle.keep_time(utcnow())
    db.session.expire_all()
    return done


def shot(page: Page, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    screenshot(page, f"challenge-journey-{name}")


def test_a_team_challenge_from_hosting_to_the_winners_prizes(app: Flask, open_page) -> None:
    team = make_department("Platform")
    hr = make_user(role=Role.HR, email="hr@example.com", name="Hannah HR", department=team)
    host = make_user(
        role=Role.MANAGER, email="mgr@example.com", name="Mona Manager", department=team
    )
    winner = make_user(
        email="me@example.com", name="Evan Employee", department=team, manager_id=host.id
    )
    rival = make_user(name="Rita Rival", department=team, manager_id=host.id)
    job = make_job(department=team, title="Site Reliability Engineer")
    start = utcnow() + timedelta(minutes=30)

    manager = open_page("en", WIDE)
    login(manager, "mgr@example.com")
    manager.goto("/challenges/new")
    manager.get_by_label("My team (direct reports)").check()
    manager.fill("#title", "平台组内推冲刺")
    manager.fill("#title_en", "Platform team referral sprint")
    manager.fill("#starts_at", local_field(start))
    manager.fill("#ends_at", local_field(start + timedelta(hours=3)))
    manager.fill("#settlement_days", "1")
    manager.get_by_test_id("save-challenge").click()
    expect(manager.locator(".alert-success")).to_contain_text("Draft saved")
    challenge_id = int(re.search(r"/challenges/(\d+)", manager.url).group(1))  # type: ignore[union-attr]
    manager.goto(f"/challenges/{challenge_id}/edit")
    htmx_settled(manager)
    prize = manager.get_by_test_id("prize-form")
    prize.locator("#rank_from").fill("1")
    prize.locator("#points").fill("300")
    prize.get_by_label("Challenge-winner badge").check()
    prize.get_by_label("Public thanks").check()
    manager.get_by_test_id("add-prize").click()
    expect(manager.get_by_test_id("prize")).to_have_count(1)
    htmx_settled(manager)
    manager.get_by_test_id("submit-challenge").click()
    expect(manager.locator(".alert-success")).to_contain_text("Sent to HR for approval")

    staff = open_page("en", WIDE)
    login(staff, "hr@example.com")
    staff.goto("/challenges/approvals")
    htmx_settled(staff)
    staff.get_by_test_id("approve").click()
    expect(staff.get_by_test_id("approvals-empty")).to_be_visible()

    page = open_page("en", WIDE)
    login(page, "me@example.com")
    with time_machine.travel(start + timedelta(minutes=5)):
        assert keep_time() == 2  # live, and under 24 hours left
        assert db.session.get(Challenge, challenge_id).status == ChallengeStatus.LIVE
        referral_id = make_referral(winner, job).id
        advance(make_referral(rival, job), Stage.INTERVIEWING, hr)  # 10 + 30 points

        staff.goto(f"/referrals/{referral_id}")
        htmx_settled(staff)
        for stage in ("interviewing", "offer"):
            staff.get_by_test_id(f"move-{stage}").click()
            expect(staff.locator(f"h1 .stage-{stage}")).to_be_visible()
            htmx_settled(staff)
        staff.get_by_test_id("move-hired").click()
        staff.get_by_test_id("start-date").fill(local_today().isoformat())
        htmx_settled(staff)
        staff.get_by_test_id("confirm-hire").click()
        expect(staff.locator("h1 .stage-hired")).to_be_visible()

        page.goto(f"/challenges/{challenge_id}")  # 10 + 30 + 50 + 100 points, at once
        expect(page.get_by_test_id("my-rank-number")).to_have_text("#1")
        expect(page.get_by_test_id("my-score")).to_have_text("190 points")
        rows = page.locator("[data-testid=challenge-top] [data-testid=board-row]")
        expect(rows.first).to_contain_text("Evan Employee")
        expect(rows.nth(1)).to_contain_text("Rita Rival")
        shot(page, "live")

    with time_machine.travel(start + timedelta(days=1, hours=4)):  # past end + settlement
        assert keep_time() == 2  # ended, then final
        assert keep_time() == 0
        page.goto(f"/challenges/{challenge_id}")
        expect(page.get_by_test_id("winners")).to_contain_text("Evan Employee")
        shot(page, "final")
        page.goto("/points/")
        entry = page.get_by_test_id("points-entry").filter(has_text="Prize won in a challenge")
        expect(entry).to_contain_text("Platform team referral sprint")
        expect(entry.get_by_test_id("points-amount")).to_contain_text("300")
        page.goto("/badges/")
        expect(page.locator("[data-testid=badge-card][data-badge=challenge_winner]")).to_have_class(
            re.compile("badge-card-earned")
        )
        page.goto("/thanks/")
        post = page.get_by_test_id("thanks-post").filter(has_text="Platform team referral sprint")
        expect(post).to_contain_text("Evan Employee")
        shot(page, "thanks")
