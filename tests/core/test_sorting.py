"""The one sort helper every HR list uses (core/sorting.py) and its header macro: whitelisted
keys, the default for anything else, a stable tie-break, headers that flip and keep filters."""

from __future__ import annotations

import re

import pytest
from flask import Flask, render_template_string
from sqlalchemy import func, select

from community.accounts.models import Department
from community.core.sorting import Sorting, SortKey
from community.extensions import db

SORTING = Sorting(
    keys={
        "name": SortKey("Name", [func.lower(Department.name)]),
        "added": SortKey("Added", [Department.created_at], kind="date", default_dir="desc"),
    },
    default="name",
    tiebreak=Department.id,
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ("name", "asc")),
        ({"sort": "added"}, ("added", "desc")),  # the key's own direction
        ({"sort": "added", "dir": "asc"}, ("added", "asc")),
        ({"sort": "added", "dir": "sideways"}, ("added", "desc")),
        ({"sort": "password_hash"}, ("name", "asc")),  # not in the whitelist
        ({"sort": "name; DROP TABLE users", "dir": "desc"}, ("name", "asc")),
        ({"sort": "\x00"}, ("name", "asc")),
        ({"sort": " added ", "dir": " asc "}, ("added", "asc")),
    ],
)
def test_only_whitelisted_keys_sort_anything_else_is_the_default(args, expected):
    sort = SORTING.parse(args)
    assert (sort.key, sort.dir) == expected


def test_the_default_order_needs_no_arguments_and_others_keep_theirs():
    assert SORTING.parse({}).as_args() == {}
    assert SORTING.parse({"sort": "name", "dir": "asc"}).as_args() == {}
    assert SORTING.parse({"sort": "name", "dir": "desc"}).as_args() == {
        "sort": "name",
        "dir": "desc",
    }


def test_a_header_flips_its_own_column_and_starts_others_in_their_direction():
    by_name = SORTING.parse({})
    assert by_name.toggled("name") == {"sort": "name", "dir": "desc"}
    assert by_name.toggled("added") == {"sort": "added", "dir": "desc"}
    assert SORTING.parse({"sort": "name", "dir": "desc"}).toggled("name") == {}  # default again


def test_header_links_keep_the_filters_and_go_back_to_page_one():
    sort = SORTING.parse({})
    args = sort.header_args({"q": "eng", "page": 3}, "added")
    assert args == {"q": "eng", "page": None, "sort": "added", "dir": "desc"}
    assert sort.with_args({"q": "eng"}) == {"q": "eng"}


def test_a_page_may_state_its_own_default():
    sort = SORTING.parse({}, default=("added", "asc"))
    assert (sort.key, sort.dir, sort.is_default, sort.as_args()) == ("added", "asc", True, {})
    assert SORTING.parse({"sort": "added"}, default=("added", "asc")).as_args() == {
        "sort": "added",
        "dir": "desc",
    }


def test_a_default_outside_the_whitelist_is_a_programming_error():
    with pytest.raises(ValueError):
        Sorting(keys=SORTING.keys, default="nope", tiebreak=Department.id)


def test_ties_keep_one_order_by_id_in_the_sorts_direction():
    names = ["b", "a", "B", "A", "c"]
    for name in names:
        db.session.add(Department(name=name))
    db.session.commit()

    def listed(args: dict[str, str]) -> list[str]:
        return list(db.session.scalars(SORTING.parse(args).apply(select(Department.name))))

    assert listed({}) == ["a", "A", "b", "B", "c"]  # equal when lowered: older id first
    assert listed({"dir": "desc", "sort": "name"}) == ["c", "B", "b", "A", "a"]


def test_the_sentence_words_the_direction_by_kind():
    assert str(SORTING.parse({}).phrase) == "A to Z"
    assert str(SORTING.parse({"sort": "added"}).phrase) == "latest first"


def render_header(app: Flask, args: dict[str, str]) -> str:
    source = (
        '{% from "macros/lists.html" import sort_header, sort_note %}'
        '{{ sort_header(sort, "name", "people.index", {"q": "eng"}) }}'
        '{{ sort_header(sort, "added", "people.index", {"q": "eng"}) }}'
        '{{ sort_note(sort, "people.index", {"q": "eng"}) }}'
    )
    with app.test_request_context():
        return render_template_string(source, sort=SORTING.parse(args))


def test_headers_say_which_column_sorts_and_link_to_the_other_order(app: Flask):
    html = render_header(app, {})
    name, added = re.findall(r"<th .*?</th>", html, flags=re.S)
    assert 'aria-sort="ascending"' in name and 'aria-sort="none"' in added
    assert 'href="/people?q=eng&amp;sort=name&amp;dir=desc"' in name
    assert 'href="/people?q=eng&amp;sort=added&amp;dir=desc"' in added
    assert "Sorted by name, A to Z (the default order)." in html
    assert 'data-testid="sort-reset"' not in html


def test_a_sorted_list_offers_the_way_back_to_the_default(app: Flask):
    html = render_header(app, {"sort": "added", "dir": "asc"})
    assert "Sorted by added, earliest first." in html
    assert 'href="/people?q=eng" data-testid="sort-reset"' in html
    # The phone menu lists every order, each keeping the filters.
    assert 'href="/people?q=eng&amp;sort=added&amp;dir=desc"' in html
