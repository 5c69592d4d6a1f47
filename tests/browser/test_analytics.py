"""Browser: HR opens the analytics dashboard in Chinese and in English (the known company of
tests/analytics/conftest.py, Q3 2026), the funnel chart draws, a filter swaps the content through
htmx (the URL keeps it, the old charts are destroyed), a CSV downloads with its BOM and the header
in the page's language. Screenshots at 1366 and 375 px in both languages."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from community.analytics import rollups
from community.core.time import utcnow
from community.extensions import db
from tests.analytics.conftest import build_corpus
from tests.browser.conftest import htmx_settled, lang_screenshot, login

Q3 = "/analytics/?period=custom&start=2026-07-01&end=2026-09-30"
FUNNEL = "[data-testid=chart-funnel] canvas"
TEXT = {
    "en": {"title": "Analytics", "submitted": "Submitted", "step": "Step", "period": "This period"},
    "zh_CN": {"title": "数据分析", "submitted": "已提交", "step": "环节", "period": "本周期"},
}


def chart_state(page: Page) -> dict:
    """The funnel chart's first series and whether its canvas has ink; how many charts live."""
    return page.evaluate(
        f"""() => {{
        const canvas = document.querySelector('{FUNNEL}');
        const chart = canvas && window.Chart.getChart(canvas);
        if (!chart) return null;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) inked++;
        return {{values: chart.data.datasets[0].data, inked: inked,
                 live: Object.keys(window.Chart.instances).length,
                 figures: document.querySelectorAll('figure.analytics-chart').length}};
    }}"""
    )


def wait_for_funnel(page: Page, first: int) -> dict:
    page.wait_for_function(
        f"""() => {{ const c = document.querySelector('{FUNNEL}');
        const chart = c && window.Chart && window.Chart.getChart(c);
        return !!chart && chart.data.datasets[0].data[0] === {first}; }}"""
    )
    state = chart_state(page)
    assert state is not None
    return state


@pytest.fixture
def corpus(app: Flask) -> dict[str, str]:
    """The known company, its rollups up to date; the e-mail addresses to log in with."""
    with app.test_request_context():
        built = build_corpus()
        rollups.run(utcnow())
        db.session.commit()
        return {
            "hr": built.hr.email,
            "manager": built.manager.email,
            "employee": built.emp1.email,
            "finance": str(built.fin.id),
        }


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_hr_reads_filters_and_downloads_the_dashboard(
    corpus: dict[str, str], open_page, lang: str, tmp_path: Path
) -> None:
    t = TEXT[lang]
    page: Page = open_page(lang, {"width": 1366, "height": 900})
    errors: list[object] = []
    page.on("pageerror", lambda error: errors.append(error))
    login(page, corpus["hr"])
    page.goto(Q3)
    expect(page.locator("h1")).to_have_text(t["title"])
    state = wait_for_funnel(page, 5)
    assert state["inked"] > 500, "the funnel chart drew"
    assert state["live"] == state["figures"]
    expect(page.locator("[data-testid=table-funnel] caption")).not_to_be_empty()
    lang_screenshot(page, "analytics-1366", lang)

    # A filter: htmx swaps the content, the URL keeps the filter, the charts are drawn anew.
    page.select_option("[data-testid=filter-family]", "finance")
    page.wait_for_url("**family=finance**")
    htmx_settled(page)
    state = wait_for_funnel(page, 2)  # r4 and r5 went to the finance job
    assert state["live"] == state["figures"], "the swapped-out charts were destroyed"
    expect(page.locator("[data-testid=analytics-filters]")).to_have_count(1)

    # The CSV of the funnel, with the same filters.
    with page.expect_download() as info:
        page.click("[data-testid=csv-funnel]")
    download = info.value
    assert download.suggested_filename == "analytics-funnel-2026-07-01_2026-09-30.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    body = target.read_bytes()
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == [t["step"], t["period"]]
    assert rows[1][:2] == [t["submitted"], "2"]

    # Print: the charts and their tables, not the filter bar nor the navigation.
    page.emulate_media(media="print")
    expect(page.locator("[data-testid=analytics-filters]")).to_be_hidden()
    expect(page.locator(".app-navbar")).to_be_hidden()
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator("[data-testid=table-funnel]")).to_be_visible()
    page.emulate_media(media="screen")

    # A phone: the page still reads, the charts fit.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(Q3)
    wait_for_funnel(page, 5)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways on a phone ({width}px)"
    lang_screenshot(page, "analytics-375", lang)
    assert errors == []


def test_a_manager_sees_a_clear_refusal_for_another_department(
    corpus: dict[str, str], open_page
) -> None:
    page: Page = open_page("en")
    login(page, corpus["manager"])  # Engineering
    page.goto(Q3)
    wait_for_funnel(page, 3)
    lang_screenshot(page, "analytics-manager", "en")
    response = page.goto(Q3 + "&department=" + corpus["finance"])
    assert response is not None and response.status == 403
    expect(page.get_by_text("You can see the numbers of your own department only.")).to_be_visible()


def test_an_employee_reads_their_own_numbers(corpus: dict[str, str], open_page) -> None:
    page: Page = open_page("zh_CN", {"width": 1366, "height": 900})
    login(page, corpus["employee"])
    page.goto(Q3)
    wait_for_funnel(page, 2)  # r1 and r2, Emma's own
    expect(page.locator("#timing-title")).to_have_text("你等了多久才收到回复")
    expect(page.locator("[data-testid=section-quality]")).to_have_count(0)
    lang_screenshot(page, "analytics-employee", "zh_CN")
