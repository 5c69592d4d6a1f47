"""Browser journeys for issue 11 §16 and §22: HR searches the review queue live (htmx, the URL
follows), and a hiring manager opens the referrals to their jobs and adds interview feedback in
place. Both tables fit a 1280 px screen and stay usable on a 375 px phone; screenshots at 1366
and 375 px go to /tmp for a person to look at."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.referrals import services
from community.referrals.models import Stage
from tests.browser.conftest import htmx_settled, login
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral

WIDTHS = {"desktop": 1366, "phone": 375}


def fits_the_width(page: Page) -> bool:
    """Nothing on the page is wider than the window: no sideways scrolling."""
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


def shot(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/queue-{name}.png", full_page=True)


@pytest.fixture
def company(app: Flask) -> dict:
    engineering = make_department("Engineering")
    sales = make_department("Sales")
    hr = make_user(role=Role.HR, email="hr@example.com", name="Hannah HR")
    manager = make_user(
        role=Role.MANAGER, email="mgr@example.com", name="Mona Manager", department=engineering
    )
    platform = make_job(
        title="Senior Data Platform Engineer", department=engineering, hiring_manager=manager
    )
    payments = make_job(title="Payments Engineer", department=engineering, hiring_manager=manager)
    sales_job = make_job(title="Enterprise Account Executive", department=sales)
    with app.test_request_context():
        chosen = make_referral(
            make_user(name="Rita Referrer with a rather long display name"),
            platform,
            candidate_name="Alexandra Konstantinopoulou-Whitfield",
            email="alexandra.konstantinopoulou-whitfield@mail.example",
        )
        services.advance_stage(
            chosen,
            Stage.INTERVIEWING,
            hr,
            feedback="Strong profile: first interview on Tuesday.",
            internal_note="Expectations above the band.",
        )
        make_referral(make_user(name="Sam Sender"), payments, candidate_name="Bo Chen")
        make_referral(make_user(name="Olga Other"), sales_job, candidate_name="Dee Park")
        make_referral(make_user(name="Wang Wei"), sales_job, candidate_name="周瑜")
    return {"chosen": chosen}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_hr_searches_the_queue(open_page, company, width: str) -> None:
    page = open_page("en", {"width": WIDTHS[width], "height": 900})
    login(page, "hr@example.com")
    page.goto("/referrals/queue")
    htmx_settled(page)
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(4)

    page.get_by_test_id("queue-search").fill("KONSTANTIN")  # live, any case, no button
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alexandra Konstantinopoulou-Whitfield")
    expect(page).to_have_url(re.compile(r"/referrals/queue\?q=KONSTANTIN"))
    htmx_settled(page)
    assert fits_the_width(page)
    shot(page, f"hr-queue-search-{WIDTHS[width]}")

    page.get_by_test_id("queue-search").fill("executive")  # the job title
    expect(rows).to_have_count(2)
    page.select_option("#f-stage", "interviewing")  # combined with a filter: nothing left
    expect(page.get_by_test_id("queue-empty")).to_contain_text("No referral matches")
    htmx_settled(page)
    page.get_by_test_id("clear-search-empty").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#f-stage")).to_have_value("interviewing")
    expect(page.get_by_test_id("queue-search")).to_have_value("")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_manager_adds_interview_feedback(open_page, company, width: str) -> None:
    page = open_page("en", {"width": WIDTHS[width], "height": 900})
    login(page, "mgr@example.com")
    if width == "phone":
        htmx_settled(page)  # (a click before Bootstrap is bound opens nothing)
        page.get_by_role("button", name="Menu").click()
        htmx_settled(page)  # the menu has finished opening
    page.get_by_test_id("nav-hiring").click()
    htmx_settled(page)
    rows = page.get_by_test_id("hiring-row")
    expect(rows).to_have_count(2)  # their two jobs, not the sales job
    expect(page.get_by_test_id("hiring")).not_to_contain_text("Dee Park")
    assert fits_the_width(page)
    shot(page, f"manager-list-{WIDTHS[width]}")

    page.get_by_test_id("hiring-search").fill("bo chen")
    expect(rows).to_have_count(1)
    page.get_by_test_id("hiring-search").fill("")
    expect(rows).to_have_count(2)
    htmx_settled(page)

    rows.filter(has_text="Alexandra").get_by_test_id("open-referral").click()
    htmx_settled(page)
    expect(page.get_by_test_id("timeline")).to_contain_text("first interview on Tuesday")
    expect(page.get_by_test_id("timeline")).not_to_contain_text("Expectations above the band")
    expect(page.get_by_test_id("stage-actions")).to_have_count(0)

    section = page.get_by_test_id("interview-feedback")
    section.get_by_test_id("add-interview-feedback").click()  # empty: refused beside the field
    expect(section.get_by_test_id("interview-feedback-error")).to_be_visible()
    htmx_settled(page)
    section.locator("textarea").fill("Clear on system design; ask about on-call in round two.")
    section.get_by_test_id("add-interview-feedback").click()
    expect(section.get_by_test_id("interview-note")).to_contain_text("ask about on-call")
    expect(page.get_by_test_id("toast").first).to_contain_text("HR can read your feedback")
    htmx_settled(page)
    expect(section.locator("textarea")).to_have_value("")
    assert fits_the_width(page)
    shot(page, f"manager-feedback-{WIDTHS[width]}")

    # HR reads it on the referral, beside the internal note the manager never saw.
    hr_page = open_page("en", {"width": WIDTHS[width], "height": 900})
    login(hr_page, "hr@example.com")
    hr_page.goto(f"/referrals/{company['chosen'].id}")
    htmx_settled(hr_page)
    expect(hr_page.get_by_test_id("interview-note")).to_contain_text("ask about on-call")
    expect(hr_page.get_by_test_id("internal-note")).to_contain_text("Expectations above")
    expect(hr_page.get_by_test_id("interview-feedback-form")).to_have_count(0)
    shot(hr_page, f"hr-reads-feedback-{WIDTHS[width]}")
