"""Browser journey (issue 11 §20, §14): HR's referral page keeps feedback to the referrer, the
HR-only note and the reject reason apart; "Move to Hired" asks for the start date (in place with
htmx, on a page of its own without JavaScript); the bonus schedule follows the start date, and
the referrer's "My payouts" shows the share still ahead. Screenshots at 1366 and 375 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from flask import Flask
from playwright.sync_api import expect

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.program.queries import current_rules, probation_ends_on
from community.referrals.models import Stage
from community.referrals.services import advance_stage
from tests.browser.conftest import htmx_settled, login, screenshot
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

WIDTHS = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}


def _referral_at_offer(app: Flask, name: str) -> tuple[int, str, str]:
    """A referral at "offer" for a ¥10,000 bonus; its id, its start date and the date its share
    after probation falls due (as the English page shows them)."""
    with app.test_request_context():
        dept = make_department("Engineering")
        make_user(role=Role.HR, name="Hana HR", email="hr@example.com")
        me = make_user(department=dept, name="Evan Employee", email="me@example.com")
        job = make_job(department=dept, title="Payments Engineer", bonus_minor=1_000_000)
        referral = make_referral(referrer=me, job=job, candidate_name=name)
        hr = db.session.scalars(db.select(type(me)).filter_by(email="hr@example.com")).one()
        for stage in (Stage.INTERVIEWING, Stage.OFFER):
            referral = advance_stage(referral, stage, hr, expected_from=referral.stage)
        start = local_today() + timedelta(days=14)
        ends = probation_ends_on(current_rules(), start)
        return (
            referral.id,
            start.isoformat(),
            format_date(ends, "medium", locale="en"),
        )


@pytest.mark.parametrize("size", ["wide", "phone"])
def test_hr_hires_with_a_start_date_and_sees_the_payout_schedule(
    app: Flask, open_page, size: str
) -> None:
    referral_id, start, probation_due = _referral_at_offer(app, "Lin Hua")
    viewport = WIDTHS[size]
    staff = open_page("en", viewport)
    login(staff, "hr@example.com")
    expect(staff.get_by_test_id("home-standing")).to_be_visible()
    staff.goto(f"/referrals/{referral_id}")
    htmx_settled(staff)

    # Three clearly separate parts: feedback for the referrer, the HR-only note, the reason.
    actions = staff.get_by_test_id("stage-actions")
    expect(actions.get_by_text("Feedback for the referrer")).to_be_visible()
    expect(actions.get_by_test_id("hr-only")).to_be_visible()
    expect(actions.get_by_test_id("reason-code")).to_be_hidden()  # behind "Not moving forward…"
    actions.get_by_test_id("feedback-field").fill("Welcome aboard, Lin! Start on the date below.")
    actions.get_by_test_id("note-field").fill("Signed at band B; relocation paid.")
    actions.get_by_test_id("open-reject").click()
    expect(actions.get_by_test_id("reason-code")).to_be_visible()
    screenshot(staff, f"hire-hr-referral-page-{viewport['width']}")
    actions.get_by_test_id("open-reject").click()  # close it again

    # Move to Hired asks first, in place, carrying what was typed.
    actions.get_by_test_id("move-hired").click()
    confirm = staff.get_by_test_id("hire-confirm")
    expect(confirm).to_be_visible()
    htmx_settled(staff)
    expect(confirm.get_by_test_id("feedback-field")).to_have_value(
        "Welcome aboard, Lin! Start on the date below."
    )
    expect(staff.locator("h1 .stage-offer")).to_be_visible()  # nothing moved yet

    # Without a date: refused with a message, still at offer.
    confirm.get_by_test_id("confirm-hire").click()
    expect(staff.get_by_test_id("start-date-error")).to_contain_text("Please enter the hire")
    htmx_settled(staff)
    expect(staff.locator("h1 .stage-offer")).to_be_visible()
    staff.get_by_test_id("start-date").fill(start)
    expect(staff.get_by_test_id("start-date")).not_to_have_class(re.compile("is-invalid"))
    screenshot(staff, f"hire-confirmation-{viewport['width']}")
    staff.get_by_test_id("confirm-hire").click()

    expect(staff.locator("h1 .stage-hired")).to_be_visible()
    htmx_settled(staff)
    expect(staff.get_by_test_id("start-date-shown")).to_be_visible()
    schedule = staff.get_by_test_id("referral-payouts")
    expect(schedule.get_by_test_id("referral-payout")).to_have_count(2)
    later = schedule.locator("[data-stage=probation_passed]")
    expect(later).to_have_attribute("data-state", "upcoming")
    expect(later.get_by_test_id("share-due")).to_contain_text(probation_due)
    expect(later.get_by_test_id("payout-amount")).to_contain_text("7,000.00")
    expect(staff.get_by_test_id("internal-note")).to_contain_text("Signed at band B")
    expect(staff.get_by_test_id("open-reject")).to_have_count(0)  # a hire cannot be turned down
    schedule.scroll_into_view_if_needed()
    screenshot(staff, f"hire-hr-referral-hired-{viewport['width']}")

    # The referrer: the feedback, never the note, and the 70% share still ahead.
    me = open_page("en", viewport)
    login(me, "me@example.com")
    expect(me.get_by_test_id("home-standing")).to_be_visible()
    me.goto(f"/referrals/{referral_id}")
    expect(me.get_by_test_id("feedback").last).to_contain_text("Welcome aboard, Lin!")
    expect(me.get_by_text("Signed at band B")).to_have_count(0)
    me.goto("/payouts/mine")
    shares = me.get_by_test_id("share")
    expect(shares).to_have_count(2)
    expect(shares.nth(1)).to_have_attribute("data-state", "upcoming")
    expect(shares.nth(1).get_by_test_id("share-due")).to_contain_text(probation_due)
    expect(me.get_by_test_id("total-coming")).to_contain_text("10,000.00")
    expect(me.get_by_text("Nothing left to do")).to_have_count(0)
    screenshot(me, f"hire-my-payouts-{viewport['width']}")


def test_without_javascript_the_hire_is_confirmed_on_a_page_of_its_own(
    app: Flask, browser, live_server: str
) -> None:
    referral_id, start, probation_due = _referral_at_offer(app, "Zhou Yu")
    context = browser.new_context(
        base_url=live_server, viewport=WIDTHS["phone"], java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, "hr@example.com")
        page.goto(f"/referrals/{referral_id}")
        page.get_by_test_id("feedback-field").fill("Congratulations!")
        page.get_by_test_id("move-hired").click()
        expect(page).to_have_title("Confirm the hire of Zhou Yu · Referral Community")
        page.get_by_test_id("confirm-hire").click()
        expect(page.get_by_test_id("start-date-error")).to_be_visible()
        expect(page.get_by_test_id("feedback-field")).to_have_value("Congratulations!")
        screenshot(page, "hire-confirmation-no-js-error-375")
        page.get_by_test_id("start-date").fill(start)
        page.get_by_test_id("confirm-hire").click()
        expect(page.locator("h1 .stage-hired")).to_be_visible()
        later = page.locator("[data-testid=referral-payouts] [data-stage=probation_passed]")
        expect(later.get_by_test_id("share-due")).to_contain_text(probation_due)
    finally:
        context.close()


def test_from_the_queue_the_hire_is_confirmed_in_its_row(app: Flask, open_page) -> None:
    referral_id, start, _due = _referral_at_offer(app, "Qian Li")
    staff = open_page("en", WIDTHS["wide"])
    login(staff, "hr@example.com")
    expect(staff.get_by_test_id("home-standing")).to_be_visible()
    staff.goto("/referrals/queue")
    htmx_settled(staff)
    row = staff.locator(f"#referral-{referral_id}")
    row.get_by_test_id("open-actions").click()
    expect(row.locator(".collapse.show")).to_be_visible()
    htmx_settled(staff)  # (the panel has finished opening: a click on a moving button is lost)
    row.get_by_test_id("move-hired").click()
    expect(row.get_by_test_id("hire-form")).to_be_visible()
    htmx_settled(staff)
    row.get_by_test_id("start-date").fill(start)
    screenshot(staff, "hire-confirmation-queue-row-1366")
    row.get_by_test_id("confirm-hire").click()
    expect(staff.get_by_test_id("toast").filter(has_text="Qian Li moved to Hired.")).to_be_visible()
    expect(staff.locator(f"#referral-{referral_id} .stage-hired")).to_be_visible()


def test_the_referrer_reads_a_rejection_kindly(app: Flask, open_page) -> None:
    referral_id, _start, _due = _referral_at_offer(app, "Sun Mei")
    staff = open_page("en", WIDTHS["wide"])
    login(staff, "hr@example.com")
    expect(staff.get_by_test_id("home-standing")).to_be_visible()
    staff.goto(f"/referrals/{referral_id}")
    htmx_settled(staff)
    staff.get_by_test_id("open-reject").click()
    staff.get_by_test_id("move-rejected").click()  # no reason yet: refused, the panel stays open
    expect(staff.get_by_test_id("reason-code")).to_have_class(re.compile("is-invalid"))
    staff.get_by_test_id("reason-code").select_option("closer_fit")
    staff.get_by_test_id("reason-text").fill("We hired someone with payments-network experience.")
    staff.get_by_test_id("note-field").fill("Final round 3.2/5; keep warm for Q3.")
    staff.get_by_test_id("move-rejected").click()
    expect(staff.locator("h1 .stage-rejected")).to_be_visible()

    me = open_page("en", WIDTHS["phone"])
    login(me, "me@example.com")
    expect(me.get_by_test_id("home-standing")).to_be_visible()
    me.goto(f"/referrals/{referral_id}")
    reason = me.get_by_test_id("reason")
    expect(reason.get_by_test_id("reason-kind")).to_have_text(
        "Another candidate was a slightly closer fit for this opening."
    )
    expect(reason).to_contain_text("payments-network experience")
    expect(me.get_by_text("keep warm for Q3")).to_have_count(0)
    reason.scroll_into_view_if_needed()
    screenshot(me, "hire-referrer-rejection-375")
