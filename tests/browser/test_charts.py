"""Browser: a chart is drawn from its own data table (templates/macros/charts.html,
static/js/charts.js) and keeps the table for keyboards and screen readers; htmx swaps one chart
for another without leaking the old one; reduced motion turns animation off; printing opens the
table; a dark-mode figure reads the dark colours.

No page draws a chart yet, so the test page is rendered here from a template string and handed
to Chromium with `page.route` (the session's app cannot gain a route once it has served); its
scripts and styles come from the live server like any page's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import render_template_string
from flask_babel import refresh
from playwright.sync_api import Page, expect

from community.core.security import CONTENT_SECURITY_POLICY
from tests.browser.conftest import htmx_settled, screenshot

PAGE = """{% extends "base.html" %}{% set uses_charts = true %}
{% from "macros/charts.html" import chart %}
{% block title %}Charts{% endblock %}
{% block content %}
<div id="charts">{{ chart("line", "Referrals per day", days,
    [("This challenge", [3, 5, 1, 4]), ("The 4 days before", [1, 2, 2, 0])],
    row_heading="Day", testid="first-chart") }}</div>
<button type="button" class="btn btn-secondary" hx-get="/__charts/swap" hx-target="#charts"
  data-testid="swap">Swap</button>
<div data-bs-theme="dark" class="bg-body text-body p-3 mt-3">{{ chart("bar", "Hires per month",
    ["May", "June"], [("Hires", [2, 7])], testid="dark-chart") }}</div>
{% endblock %}"""

SWAPPED = """{% from "macros/charts.html" import chart %}{{ chart("bar", "Referrals per week",
    ["W1", "W2", "W3"], [("Referrals", [10, 12.5, 8])], testid="swapped-chart") }}"""

CHART_OF = "(selector) => window.Chart.getChart(document.querySelector(selector + ' canvas'))"


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """The browser page, failing the test if a script on it throws (Chart.js throws when asked
    to draw twice on one canvas)."""
    errors: list[object] = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    assert errors == []


def serve_test_page(page: Page) -> None:
    with_english()
    full = render_template_string(PAGE, days=["1 Mar", "2 Mar", "3 Mar", "4 Mar"])
    fragment = render_template_string(SWAPPED)
    # with the app's Content-Security-Policy, as the app would send it: no inline scripts
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    }
    page.route("**/__charts", lambda route: route.fulfill(body=full, headers=headers))
    page.route("**/__charts/swap", lambda route: route.fulfill(body=fragment, headers=headers))
    page.goto("/__charts")
    htmx_settled(page)
    page.wait_for_function(f"() => !!({CHART_OF})('[data-testid=first-chart]')")


def with_english() -> None:
    refresh()  # the test's request context may remember another test's language


def chart_data(page: Page, testid: str) -> dict:
    return page.evaluate(
        f"""() => {{
        const chart = ({CHART_OF})('[data-testid={testid}]');
        if (!chart) return null;
        const canvas = chart.canvas;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) inked++;
        return {{
          type: chart.config.type,
          labels: chart.data.labels,
          series: chart.data.datasets.map((d) => [d.label, d.data]),
          inked: inked,
          animation: chart.options.animation,
          text: chart.options.scales.x.ticks.color,
          instances: Object.keys(window.Chart.instances).length,
        }};
    }}"""
    )


def test_a_chart_is_drawn_from_its_table_which_stays_for_readers(page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")  # the screenshot shows the chart, not a frame of it
    serve_test_page(page)
    drawn = chart_data(page, "first-chart")
    assert drawn["type"] == "line"
    assert drawn["labels"] == ["1 Mar", "2 Mar", "3 Mar", "4 Mar"]
    assert drawn["series"] == [
        ["This challenge", [3, 5, 1, 4]],
        ["The 4 days before", [1, 2, 2, 0]],
    ]
    assert drawn["inked"] > 1000  # pixels on the canvas, not an empty box
    canvas = page.locator("[data-testid=first-chart] canvas")
    expect(canvas).to_have_attribute("role", "img")
    expect(canvas).to_have_accessible_name(
        "Chart: Referrals per day. Its numbers are in the table below it."
    )
    screenshot(page, "charts-en")

    # The table is a keyboard's reach away: focus the summary, press Enter, read the numbers.
    table = page.locator("[data-testid=first-chart] table")
    expect(table).to_be_hidden()
    page.locator("[data-testid=first-chart] summary").focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(page.get_by_role("table", name="Referrals per day")).to_be_visible()
    expect(page.get_by_role("row", name="2 Mar 5 2")).to_be_visible()
    expect(page.get_by_role("columnheader", name="The 4 days before")).to_be_visible()


def test_a_swap_replaces_the_chart_and_never_draws_one_twice(page: Page) -> None:
    serve_test_page(page)
    assert chart_data(page, "first-chart")["instances"] == 2  # the line and the dark bars

    # Asking again (another settle, another htmx:load) draws nothing new on a drawn canvas.
    page.evaluate(
        "() => { document.dispatchEvent(new Event('htmx:afterSettle'));"
        " window.htmx.trigger(document.body, 'htmx:load', { elt: document.body }); }"
    )
    assert chart_data(page, "first-chart")["instances"] == 2

    page.get_by_test_id("swap").click()
    page.wait_for_function(f"() => !!({CHART_OF})('[data-testid=swapped-chart]')")
    htmx_settled(page)
    swapped = chart_data(page, "swapped-chart")
    assert swapped["type"] == "bar"
    assert swapped["series"] == [["Referrals", [10, 12.5, 8]]]
    assert swapped["instances"] == 2  # the swapped-out line chart was destroyed
    assert page.locator("[data-testid=first-chart]").count() == 0


def test_reduced_motion_draws_without_animation(page: Page) -> None:
    serve_test_page(page)
    assert chart_data(page, "first-chart")["animation"] is not False
    page.emulate_media(reduced_motion="reduce")
    page.reload()
    page.wait_for_function(f"() => !!({CHART_OF})('[data-testid=first-chart]')")
    assert chart_data(page, "first-chart")["animation"] is False


def test_printing_opens_the_table_and_closes_it_after(page: Page) -> None:
    serve_test_page(page)
    details = page.locator("[data-testid=first-chart] details")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(details).to_have_attribute("open", "")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(details).not_to_have_attribute("open", "")
    # and the page prints: Chromium makes a PDF of it without error
    assert page.pdf()[:4] == b"%PDF"


def test_colours_follow_the_colour_mode_the_chart_sits_in(page: Page) -> None:
    serve_test_page(page)
    page.wait_for_function(f"() => !!({CHART_OF})('[data-testid=dark-chart]')")
    light = chart_data(page, "first-chart")["text"]
    dark = chart_data(page, "dark-chart")["text"]
    expected = page.evaluate(
        "() => [...document.querySelectorAll('figure.chart')].map((figure) =>"
        " getComputedStyle(figure).getPropertyValue('--bs-body-color').trim())"
    )
    assert [light, dark] == expected
    assert light != dark
