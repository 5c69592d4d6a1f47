"""Issue 11 §22: HR finds a referral in the queue by candidate name or e-mail, job title or
referrer name, together with the filters and across pages; odd searches never break the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from community.referrals import services
from community.referrals.models import Referral, Stage
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral


def row_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tbody id="referral-(\d+)"', html)]


@pytest.fixture
def people() -> dict[str, Referral]:
    """Four referrals that share nothing a search could find in more than one of them."""
    sales = make_department("Sales")
    return {
        "alice": make_referral(
            referrer=make_user(name="Rita Referrer"),
            job=make_job(title="Data Platform Engineer"),
            candidate_name="Alice Wong",
            email="alice.wong@mail.example",
        ),
        "bo": make_referral(
            referrer=make_user(name="Sam Sender", display_name="Sammy"),
            job=make_job(title="Account Executive", department=sales),
            candidate_name="Bo Chen",
            email="bchen@post.example",
        ),
        "zhou": make_referral(
            referrer=make_user(name="王小明"),
            job=make_job(title="产品经理", title_en="Product Manager"),
            candidate_name="周瑜",
            email="zhouyu@post.example",
        ),
        "odd": make_referral(
            referrer=make_user(name="Olga Other"),
            job=make_job(title="QA 100% Automation"),
            candidate_name="Dee_Underscore",
            email="dee@under.example",
        ),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("alice", "alice"),  # candidate name, any case
        ("WONG", "alice"),
        ("bchen@POST", "bo"),  # candidate e-mail
        ("platform eng", "alice"),  # job title
        ("account exec", "bo"),
        ("rita", "alice"),  # referrer name
        ("sammy", "bo"),  # referrer's display name
        ("周瑜", "zhou"),  # Chinese candidate, job and referrer
        ("产品", "zhou"),
        ("小明", "zhou"),
        ("product man", "zhou"),  # the job's English title
        ("100%", "odd"),  # % and _ are letters here, not wildcards
        ("e_u", "odd"),
    ],
)
def test_each_field_finds_its_referral_and_nothing_else(client, auth, hr, people, query, who):
    auth.login(hr)
    page = client.get("/referrals/queue", query_string={"q": query})
    assert page.status_code == 200
    assert row_ids(page.text) == [people[who].id]


def test_wildcards_and_a_stray_space_match_nothing_extra(client, auth, hr, people):
    auth.login(hr)
    assert row_ids(client.get("/referrals/queue?q=%25").text) == [people["odd"].id]
    assert row_ids(client.get("/referrals/queue?q=_").text) == [people["odd"].id]
    both = client.get("/referrals/queue", query_string={"q": "  post.example  "}).text
    assert sorted(row_ids(both)) == sorted([people["bo"].id, people["zhou"].id])
    assert row_ids(client.get("/referrals/queue?q=").text) == row_ids(
        client.get("/referrals/queue").text
    )


def test_search_combines_with_the_filters(client, auth, hr, people):
    services.advance_stage(people["bo"], Stage.SCREENING, hr)
    auth.login(hr)
    # Both candidates' e-mails are at post.example; the stage filter keeps one.
    page = client.get("/referrals/queue?q=post.example&stage=screening")
    assert row_ids(page.text) == [people["bo"].id]
    page = client.get(f"/referrals/queue?q=post.example&job={people['zhou'].job_id}")
    assert row_ids(page.text) == [people["zhou"].id]
    department = people["bo"].job.department_id
    assert row_ids(client.get(f"/referrals/queue?q=alice&department={department}").text) == []


def test_a_closed_referral_is_found_when_its_stage_is_asked_for(client, auth, hr, people):
    services.advance_stage(people["alice"], Stage.REJECTED, hr, reason="Not now")
    auth.login(hr)
    assert row_ids(client.get("/referrals/queue?q=alice").text) == []
    assert row_ids(client.get("/referrals/queue?q=alice&stage=rejected").text) == [
        people["alice"].id
    ]


@pytest.fixture
def small_pages(app: Flask) -> Iterator[None]:
    per_page = app.config["ITEMS_PER_PAGE"]
    app.config["ITEMS_PER_PAGE"] = 2
    yield
    app.config["ITEMS_PER_PAGE"] = per_page


def test_the_pager_keeps_the_search_and_the_filters(client, auth, hr, small_pages):
    job = make_job(title="Site Reliability Engineer")
    found = [make_referral(job=job, candidate_name=f"Kim Lee {n}") for n in range(3)]
    make_referral(job=job, candidate_name="Somebody Else")
    auth.login(hr)
    first = client.get(f"/referrals/queue?q=kim+lee&job={job.id}")
    links = re.findall(r'class="page-link" href="([^"]+)"', first.text)
    assert links, "a second page is offered"
    for link in links:
        args = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert args["q"] == ["kim lee"] and args["job"] == [str(job.id)]
    second = client.get(f"/referrals/queue?q=kim+lee&job={job.id}&page=2")
    assert sorted(row_ids(first.text) + row_ids(second.text)) == sorted(r.id for r in found)
    assert 'data-testid="result-count"' in second.text and "3 referrals match" in second.text


def test_an_empty_result_says_so_and_offers_to_clear_the_search(client, auth, hr, people):
    auth.login(hr)
    page = client.get("/referrals/queue?q=nobody-like-this&stage=screening")
    assert page.status_code == 200
    assert row_ids(page.text) == []
    assert "No referral matches “nobody-like-this”" in page.text
    clear = re.search(r'data-testid="clear-search-empty"', page.text)
    assert clear
    # "Clear the search" keeps the other filters.
    assert 'href="/referrals/queue?stage=screening" data-testid="clear-search-empty"' in page.text


def test_a_very_long_search_is_trimmed_not_an_error(client, auth, hr, people):
    auth.login(hr)
    page = client.get("/referrals/queue", query_string={"q": "alice" + "x" * 5000})
    assert page.status_code == 200
    assert 'data-testid="search-trimmed"' in page.text
    assert row_ids(page.text) == []
    long_name = client.get("/referrals/queue", query_string={"q": "alice wong" + " " * 500})
    assert row_ids(long_name.text) == [people["alice"].id]
    assert 'data-testid="search-trimmed"' not in long_name.text  # spaces are not a search


def test_a_nul_byte_in_the_search_is_refused_with_a_message(client, auth, hr, people):
    auth.login(hr)
    response = client.get("/referrals/queue?q=ali%00ce")
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_htmx_search_answers_with_the_results_alone(client, auth, hr, people):
    auth.login(hr)
    response = client.get("/referrals/queue?q=bo+chen", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="queue-results">')
    assert "<html" not in response.text and 'id="queue-filters"' not in response.text
    assert row_ids(response.text) == [people["bo"].id]
    assert "HX-Request" in response.headers["Vary"]
    # Going back in history asks for the whole page.
    restore = client.get(
        "/referrals/queue?q=bo+chen",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


def test_the_search_box_keeps_what_was_searched(client, auth, hr, people):
    auth.login(hr)
    page = client.get("/referrals/queue?q=%3Cb%3EBo")
    assert 'value="&lt;b&gt;Bo"' in page.text  # escaped, never markup
    assert "<b>Bo" not in page.text


def test_only_hr_searches_the_queue(client, auth, people):
    auth.login(make_user())
    assert client.get("/referrals/queue?q=alice").status_code == 403
