"""Browser: the main lists fit the page (issue 11 §13) at 1280 and 1366 px and on a 375 px phone,
with long names, titles and reasons; HR sorts the payouts by clicking a header (§21); HR edits a
person from the people list (§24); an employee sorts open jobs with htmx (§26). Screenshots of
each list at each width go to /tmp/lists-*.png."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.accounts.models import Role, User
from community.core.time import local_today, utcnow
from community.extensions import db
from community.payouts import services as payout_services
from community.payouts.models import Payout
from community.perks import services as perk_services
from community.perks.models import Redemption
from community.referrals.models import Stage
from tests.browser.conftest import htmx_settled, login
from tests.factories import make_department, make_job, make_user
from tests.perks.factories import give_points, make_perk
from tests.pipeline import walk
from tests.referrals.factories import make_referral

WIDTHS = (1280, 1366, 375)
LONG_REASON = (
    "The candidate accepted a counter-offer from their current employer after the offer was "
    "signed, so finance asked us to hold every bonus linked to this hire until the quarterly "
    "review; see ticket https://intranet.example.com/finance/tickets/2026-11-REFERRAL-BONUS-HOLD"
)

HR_LISTS = {
    "payouts": ("/payouts/", "payouts"),
    "redemptions": ("/perks/redemptions", "redemptions"),
    "people": ("/people", "people"),
    "jobs-manage": ("/jobs/manage", "manage-jobs"),
}
EMPLOYEE_LISTS = {
    "my-referrals": ("/referrals/mine", "my-referrals"),
    "points-history": ("/points/", "points-history"),
    "leaderboard": ("/leaderboard/", "leaderboard"),
    "jobs": ("/jobs/", None),
}


def seed() -> dict[str, Any]:
    """A company with long names everywhere: payouts in every status (one cancelled with a long
    reason), redemptions (one rejected at length), referrals and points for the employee."""
    research = make_department("Research and Development Centre for Platform Infrastructure")
    sales = make_department("Enterprise Sales")
    hr = make_user(role=Role.HR, name="Hannah HR", email="hr@example.com", department=sales)
    me = make_user(
        name="Maximilian Alexander Featherstonehaugh-Smythe",
        email="maximilian.featherstonehaugh-smythe@example.com",
        department=research,
    )
    boss = make_user(role=Role.MANAGER, name="Bea Boss", department=research)
    others = [
        make_user(name=f"Referrer {n} Wang", department=sales if n % 2 else research)
        for n in range(4)
    ]
    referrals = []
    for n, referrer in enumerate([me, *others]):
        job = make_job(
            title=f"Senior Staff Distributed Systems Engineer, Observability Platform {n}",
            department=research,
            bonus_minor=1_000_000 * (n + 1),
            hard_to_fill=n == 2,
        )
        referral = make_referral(referrer, job, candidate_name=f"Candidate Number {n} Lin")
        walk(referral, hr, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
        referrals.append(referral)
    make_referral(me, make_job(title="Product Designer"), candidate_name="Second Candidate")
    payouts = list(db.session.scalars(select(Payout).order_by(Payout.id)))
    payout_services.cancel_payout(payouts[0], hr, LONG_REASON)
    payout_services.approve_payout(payouts[1], hr)
    payout_services.approve_payout(payouts[2], hr)
    payout_services.mark_paid(payouts[2], hr, local_today(), "PAYROLL-2026-11-REF-000123456789")
    for n, payout in enumerate(payouts):
        payout.created_at = utcnow() - timedelta(days=10 * n)
    db.session.commit()

    perks = [
        make_perk(name_en="An extra day of annual leave to spend with family", cost_points=50),
        make_perk(name_en="Health check-up package", cost_points=40),
    ]
    for person in others:
        give_points(person, 200)
        for perk in perks:
            perk_services.redeem(person, perk.id)
    first = db.session.scalars(select(Redemption).order_by(Redemption.id)).first()
    perk_services.reject_redemption(hr, first.id, LONG_REASON)
    return {"hr": hr, "me": me, "boss": boss, "others": others}


def layout(page: Page) -> dict[str, Any]:
    """How wide the page and each visible table are against the window."""
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            window: window.innerWidth,
            tables: [...document.querySelectorAll('.table-responsive')]
                .filter(e => e.offsetParent)
                .map(e => ({name: (e.querySelector('table') || {}).dataset?.testid || '',
                            scroll: e.scrollWidth, client: e.clientWidth})),
        })"""
    )


def check_fits(page: Page, name: str, width: int, lang: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    htmx_settled(page)
    page.screenshot(path=f"/tmp/lists-{name}-{width}-{lang}.png", full_page=True)
    found = layout(page)
    assert found["page"] <= found["window"], (name, width, found)
    for table in found["tables"]:
        assert table["scroll"] <= table["client"] + 1, (name, width, table)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_main_lists_fit_at_1280_1366_and_on_a_phone(app: Flask, open_page, lang: str) -> None:
    with app.test_request_context():
        seed()
    hr_page = open_page(lang)
    login(hr_page, "hr@example.com")
    for name, (url, testid) in HR_LISTS.items():
        hr_page.goto(url)
        expect(hr_page.get_by_test_id(testid)).to_be_visible()
        for width in WIDTHS:
            check_fits(hr_page, name, width, lang)
        hr_page.set_viewport_size({"width": 1280, "height": 900})

    me = open_page(lang)
    login(me, "maximilian.featherstonehaugh-smythe@example.com")
    for name, (url, testid) in EMPLOYEE_LISTS.items():
        me.goto(url)
        if testid:
            expect(me.get_by_test_id(testid)).to_be_visible()
        for width in WIDTHS:
            check_fits(me, name, width, lang)
        me.set_viewport_size({"width": 1280, "height": 900})


def test_the_cancel_reason_wraps_and_the_actions_stay_on_screen(app: Flask, open_page) -> None:
    with app.test_request_context():
        seed()
    page = open_page("en", {"width": 1366, "height": 900})
    login(page, "hr@example.com")
    page.goto("/payouts/?sort=due")
    htmx_settled(page)
    reason = page.get_by_test_id("payout-cancel-reason")
    expect(reason).to_have_attribute("title", re.compile("quarterly review"))
    box = reason.bounding_box()
    assert box and box["height"] < 60  # two lines at most, the rest on hover
    for button in page.get_by_test_id("open-payout-actions").all():
        right = button.bounding_box()
        assert right and right["x"] + right["width"] <= 1366


def test_hr_sorts_payouts_by_clicking_a_header_and_the_filters_stay(app: Flask, open_page) -> None:
    with app.test_request_context():
        seed()
    page = open_page("en", {"width": 1366, "height": 900})
    login(page, "hr@example.com")
    page.goto("/payouts/")
    htmx_settled(page)
    expect(page.get_by_test_id("sort-note")).to_contain_text("Sorted by status")
    page.select_option("#f-status", "approved")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=approved"))
    page.get_by_test_id("sort-amount").click()
    expect(page).to_have_url(re.compile(r"status=approved.*sort=amount&dir=desc"))
    expect(page.get_by_test_id("sort-note")).to_contain_text("Sorted by amount, highest first")
    header = page.locator("th[aria-sort=descending]")
    expect(header).to_contain_text("Amount")
    page.get_by_test_id("sort-amount").click()
    expect(page).to_have_url(re.compile(r"sort=amount&dir=asc"))
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Amount")
    page.screenshot(path="/tmp/lists-payouts-sorted-1366.png", full_page=True)
    page.get_by_test_id("sort-reset").click()
    expect(page).to_have_url(re.compile(r"/payouts/\?status=approved$"))

    phone = open_page("en", {"width": 375, "height": 800})
    login(phone, "hr@example.com")
    phone.goto("/payouts/")
    htmx_settled(phone)
    phone.locator(".sort-menu summary").click()
    phone.get_by_role("link", name="Amount, highest first").click()
    expect(phone).to_have_url(re.compile(r"sort=amount&dir=desc"))
    phone.screenshot(path="/tmp/lists-payouts-sorted-375.png", full_page=True)


def test_hr_changes_a_persons_role_department_and_manager(app: Flask, open_page) -> None:
    with app.test_request_context():
        made = seed()
        person: User = made["others"][0]
        boss: User = made["boss"]
    page = open_page("en", {"width": 1366, "height": 900})
    login(page, "hr@example.com")
    page.goto("/people?q=Referrer+0")
    htmx_settled(page)
    page.get_by_test_id("person-link").filter(has_text="Referrer 0 Wang").click()
    expect(page.get_by_test_id("profile-name")).to_contain_text("Referrer 0 Wang")
    form = page.get_by_test_id("account-form")
    form.locator("select[name=role]").select_option("manager")
    form.locator("select[name=department]").select_option(label="Enterprise Sales")
    form.locator("select[name=manager]").select_option(str(boss.id))
    form.get_by_test_id("save-account").click()
    expect(page.get_by_text("Saved the changes for Referrer 0 Wang.")).to_be_visible()
    expect(page.get_by_test_id("profile-manager")).to_contain_text("Bea Boss")
    expect(page.get_by_test_id("person-change")).to_have_count(3)
    page.screenshot(path="/tmp/lists-profile-changed-1366.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    htmx_settled(page)
    page.screenshot(path="/tmp/lists-profile-375.png", full_page=True)
    assert layout(page)["page"] <= 375

    # A loop is refused with its reason under the field, nothing changed.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/people/{boss.id}/profile")
    page.get_by_test_id("account-form").locator("select[name=manager]").select_option(
        str(person.id)
    )
    page.get_by_test_id("save-account").click()
    expect(page.locator("#manager-error")).to_contain_text("would make a loop")
    page.screenshot(path="/tmp/lists-profile-loop-1366.png", full_page=True)
    assert layout(page)["page"] <= 1366  # a long department name in the ranks' header wraps


def test_employees_sort_open_jobs_in_place(app: Flask, open_page) -> None:
    with app.test_request_context():
        seed()
    page = open_page("en", {"width": 1366, "height": 900})
    login(page, "maximilian.featherstonehaugh-smythe@example.com")
    page.goto("/jobs/")
    htmx_settled(page)
    page.evaluate("window.__sameDocument = true")
    page.select_option("#job-sort", "bonus")
    expect(page).to_have_url(re.compile(r"sort=bonus"))
    expect(page.get_by_test_id("sort-note")).to_contain_text("highest first")
    first = page.get_by_test_id("job-card").first
    expect(first).to_contain_text("50,000.00")
    assert page.evaluate("window.__sameDocument") is True
    htmx_settled(page)
    page.fill("#job-search", "Observability")
    expect(page).to_have_url(re.compile(r"q=Observability.*sort=bonus|sort=bonus.*q=Observability"))
    expect(page.get_by_test_id("job-card").first).to_contain_text("50,000.00")
    page.screenshot(path="/tmp/lists-jobs-sorted-1366.png", full_page=True)
