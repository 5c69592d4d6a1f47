"""Issue 11, points 3 and 4: numbers too large for the database and NUL bytes never reach it.

A path id past what an `integer` column holds is a 404 by routing; an absurd number in the query
string is treated like any filter the page cannot use; a NUL byte anywhere in the path, the query
string or a form is refused with a 400 in the reader's language before a view runs."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter

from community.accounts.models import Role, User
from community.extensions import db
from tests.factories import make_job, make_user
from tests.security.conftest import db_fingerprint, sample_path

HUGE = 99999999999999999999  # past 64 bits: OverflowError on SQLite
PAST_INT4 = 2**31  # past PostgreSQL's `integer`: DataError there
NUL_MESSAGE = "contains a character that is not allowed"
NUL_MESSAGE_ZH = "含有不允许的字符"


@pytest.fixture
def as_hr(client: Any, auth: Any) -> User:
    hr = make_user(role=Role.HR)
    assert auth.login(hr).status_code == 302
    return hr


def _int_get_rules(app: Flask) -> list[Any]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or set())
            and any(isinstance(c, IntegerConverter) for c in rule._converters.values())  # noqa: SLF001
        ),
        key=lambda rule: rule.rule,
    )


def _get_status(client: Any, url: str, **kwargs: Any) -> int | str:
    try:
        return client.get(url, **kwargs).status_code
    except Exception as error:  # noqa: BLE001  (the test app propagates what would be a 500)
        db.session.rollback()
        return f"raised {type(error).__name__}"


# (a) Path ids --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [HUGE, PAST_INT4], ids=["past-64-bits", "past-int4"])
def test_every_int_path_argument_out_of_range_is_a_404(app, client, as_hr, number) -> None:
    rules = _int_get_rules(app)
    assert rules, "the app has routes with <int:…> arguments"
    failures = {}
    for rule in rules:
        values = {
            name: number
            for name, converter in rule._converters.items()  # noqa: SLF001
            if isinstance(converter, IntegerConverter)
        }
        url = sample_path(rule, values)
        status = _get_status(client, url)
        if status != 404:
            failures[url] = status
    assert not failures, failures


def test_the_largest_id_the_database_holds_is_still_routed(app, client, as_hr) -> None:
    response = client.get(f"/referrals/{2**31 - 1}")
    assert response.status_code == 404  # routed, looked up, not there
    assert app.url_map.bind("localhost").match(f"/referrals/{2**31 - 1}")[0] == "referrals.detail"


# (b) Numbers in the query string -------------------------------------------------------------


INT_QUERY_ARGS = ("page", "department", "job")


def _plain_get_pages(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set()) and not rule.arguments and rule.endpoint != "static"
    )


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, -HUGE], ids=["huge", "past-int4", "negative"])
def test_no_page_answers_500_to_an_absurd_number_in_the_query_string(
    app, client, as_hr, number
) -> None:
    failures = {}
    for path in _plain_get_pages(app):
        for name in INT_QUERY_ARGS:
            status = _get_status(client, path, query_string={name: str(number)})
            if not isinstance(status, int) or status >= 500:
                failures[f"{path}?{name}={number}"] = status
    assert not failures, failures


@pytest.mark.parametrize(
    "url",
    [
        "/jobs/?page={n}",
        "/jobs/?department={n}",
        "/people?page={n}",
        "/people?department={n}",
        "/referrals/mine?page={n}",
        "/referrals/queue?page={n}&job={n}&department={n}",
        "/thanks/?page={n}",
        "/points/?page={n}",
        "/perks/redemptions?page={n}",
        "/payouts/?page={n}&department={n}",
    ],
)
@pytest.mark.parametrize("number", [HUGE, PAST_INT4, "²"], ids=["huge", "past-int4", "superscript"])
def test_list_pages_treat_an_absurd_number_as_an_unusable_filter(
    client, as_hr, url, number
) -> None:
    # "²" is a digit to str.isdigit() but not to int()
    make_job(title="Still Listed Engineer")
    response = client.get(url.format(n=number))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["department", "job"])
@pytest.mark.parametrize("number", [HUGE, PAST_INT4, "²", 0])
def test_analytics_refuses_a_filter_id_that_names_nothing(client, as_hr, name, number) -> None:
    response = client.get("/analytics/", query_string={name: str(number)})
    assert response.status_code == 400
    assert "unknown choice" in response.text


# (c) NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/jobs/?q=%00", "/jobs/?q=a%00b", "/people?q=%00", "/people?%00=1"]
)
def test_a_nul_byte_in_a_search_is_refused_with_a_message(client, as_hr, url) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_a_nul_byte_in_the_path_is_refused(client) -> None:
    response = client.get("/set-password/abc%00def")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_written(client, as_hr) -> None:
    before = db_fingerprint()
    response = client.post("/settings", data={"display_name": "Evil\x00Name", "locale": "en"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_a_nul_byte_at_login_is_refused(client) -> None:
    user = make_user()
    response = client.post("/login", data={"email": f"{user.email}\x00", "password": "x"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_htmx_gets_the_refusal_as_a_toast(client, as_hr) -> None:
    response = client.get("/jobs/?q=%00", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers.get("HX-Reswap") == "none"
    assert NUL_MESSAGE in response.headers.get("HX-Trigger", "")


def test_the_refusal_speaks_the_readers_language(client) -> None:
    user = make_user(locale="zh")
    client.post("/login", data={"email": user.email, "password": "password123"})
    response = client.get("/jobs/?q=%00")
    assert response.status_code == 400
    assert NUL_MESSAGE_ZH in response.get_data(as_text=True)


# (d) Ordinary requests still work ------------------------------------------------------------


def test_ordinary_numbers_and_text_still_work(client, as_hr) -> None:
    job = make_job(title="Ordinary Engineer")
    page = client.get("/jobs/?q=Ordinary&page=1")
    assert page.status_code == 200
    assert "Ordinary Engineer" in page.get_data(as_text=True)
    assert client.get(f"/jobs/{job.id}").status_code == 200
    assert client.get("/people?page=1&q=User").status_code == 200
    response = client.post("/settings", data={"display_name": "Plain Name", "locale": "en"})
    assert response.status_code == 302
    assert db.session.get(User, as_hr.id).display_name == "Plain Name"
